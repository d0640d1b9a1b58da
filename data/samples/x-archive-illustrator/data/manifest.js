window.__THAR_CONFIG = {
  "userInfo": {
    "accountId": "777000111",
    "userName": "illust_hana",
    "displayName": "はな"
  },
  "archiveInfo": {
    "generationDate": "2023-06-30T12:00:00.000Z",
    "isPartialArchive": false
  },
  "dataTypes": {
    "tweets": {
      "files": [
        {
          "fileName": "data/tweets.js",
          "globalName": "YTD.tweets.part0",
          "count": "175"
        }
      ]
    }
  }
}