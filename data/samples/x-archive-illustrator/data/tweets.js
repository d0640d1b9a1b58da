window.YTD.tweets.part0 = [
  {
    "tweet": {
      "id": "1300000000002827683",
      "id_str": "1300000000002827683",
      "full_text": "配信を見ながら作業中",
      "created_at": "Thu Sep 09 03:22:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "10"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000001047290",
      "id_str": "1300000000001047290",
      "full_text": "今月の目標は毎日クロッキー",
      "created_at": "Tue Apr 06 00:51:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "13"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000005131721",
      "id_str": "1300000000005131721",
      "full_text": "コーヒーを淹れて作業開始",
      "created_at": "Sat Mar 26 00:07:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "12"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000010577629",
      "id_str": "1300000000010577629",
      "full_text": "学習元のデータセット(LAION)に自分の絵が入っていた。無断学習だと思う",
      "created_at": "Thu Sep 08 10:55:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "37"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000011624919",
      "id_str": "1300000000011624919",
      "full_text": "学習元のデータセット(LAION)に自分の絵が入っていた。無断学習だと思う",
      "created_at": "Tue Sep 13 15:08:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "37"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000017699201",
      "id_str": "1300000000017699201",
      "full_text": "配信を見ながら作業中",
      "created_at": "Thu May 11 23:59:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "10"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000013719499",
      "id_str": "1300000000013719499",
      "full_text": "mimic、他人の絵をアップロードしてAIに無断学習させられるのが問題",
      "created_at": "Thu Oct 06 01:59:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "35"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000001885122",
      "id_str": "1300000000001885122",
      "full_text": "今日は雨なので家で絵を描いています",
      "created_at": "Tue Jun 15 12:50:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "17"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000017594472",
      "id_str": "1300000000017594472",
      "full_text": "締め切りが近くて眠い",
      "created_at": "Wed May 03 02:48:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "10"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000010682358",
      "id_str": "1300000000010682358",
      "full_text": "#無断学習禁止 自分の絵をAIに学習させないでください",
      "created_at": "Thu Sep 08 16:51:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "27"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000016232995",
      "id_str": "1300000000016232995",
      "full_text": "配信を見ながら作業中",
      "created_at": "Sun Jan 08 10:18:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "10"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000001989851",
      "id_str": "1300000000001989851",
      "full_text": "まとめサイトへの無断転載が多すぎる",
      "created_at": "Sat Jun 26 04:30:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "17"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000006179011",
      "id_str": "1300000000006179011",
      "full_text": "朝から電車が遅れていた",
      "created_at": "Wed Jun 22 12:51:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "11"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000008378320",
      "id_str": "1300000000008378320",
      "full_text": "ムダンガクシュウってまだ法律的にはグレーなの?",
      "created_at": "Wed Aug 31 20:56:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "23"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000008587778",
      "id_str": "1300000000008587778",
      "full_text": "画像生成AIの無断学習について考えをまとめた",
      "created_at": "Thu Sep 01 10:52:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "22"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000007435759",
      "id_str": "1300000000007435759",
      "full_text": "RT @user075: mimic、他人の絵をアップロードしてAIに無断学習させられるのが問題",
      "created_at": "Mon Aug 29 12:59:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "48"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000008483049",
      "id_str": "1300000000008483049",
      "full_text": "RT @user030: 無断学習禁止の一文を全作品に入れました",
      "created_at": "Thu Sep 01 04:13:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "32"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000015290434",
      "id_str": "1300000000015290434",
      "full_text": "画像生成AIの無断学習について考えをまとめた",
      "created_at": "Sun Nov 20 18:31:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "22"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000012043835",
      "id_str": "1300000000012043835",
      "full_text": "mimic、他人の絵をアップロードしてAIに無断学習させられるのが問題",
      "created_at": "Fri Sep 16 17:53:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "35"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000010472900",
      "id_str": "1300000000010472900",
      "full_text": "RT @user042: mimic、他人の絵をアップロードしてAIに無断学習させられるのが問題",
      "created_at": "Wed Sep 07 23:32:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "48"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000000104729",
      "id_str": "1300000000000104729",
      "full_text": "猫がキーボードの上で寝ている",
      "created_at": "Tue Jan 12 09:52:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "14"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000003037141",
      "id_str": "1300000000003037141",
      "full_text": "コーヒーを淹れて作業開始",
      "created_at": "Tue Sep 28 09:42:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "12"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000008273591",
      "id_str": "1300000000008273591",
      "full_text": "学習元のデータセット(LAION)に自分の絵が入っていた。無断学習だと思う",
      "created_at": "Wed Aug 31 14:54:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "37"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000006388469",
      "id_str": "1300000000006388469",
      "full_text": "ラーメン食べて元気出た",
      "created_at": "Sun Jul 10 12:14:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "11"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000009739797",
      "id_str": "1300000000009739797",
      "full_text": "#無断学習禁止 自分の絵をAIに学習させないでください",
      "created_at": "Mon Sep 05 06:08:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "27"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000003979702",
      "id_str": "1300000000003979702",
      "full_text": "色塗りのコツがやっと分かってきた",
      "created_at": "Tue Dec 21 03:44:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "16"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000008064133",
      "id_str": "1300000000008064133",
      "full_text": "RT @user023: AIイラストのmimicのβ版、自分の絵を無断学習されたら困る",
      "created_at": "Wed Aug 31 02:42:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "44"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000009216152",
      "id_str": "1300000000009216152",
      "full_text": "AI絵師の無断学習への反発がすごい",
      "created_at": "Sat Sep 03 07:00:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "17"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000000628374",
      "id_str": "1300000000000628374",
      "full_text": "ラフを三枚描いた",
      "created_at": "Sun Feb 28 22:04:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "8"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000011939106",
      "id_str": "1300000000011939106",
      "full_text": "mimic、他人の絵をアップロードしてAIに無断学習させられるのが問題",
      "created_at": "Fri Sep 16 00:14:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "35"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000016966098",
      "id_str": "1300000000016966098",
      "full_text": "無断転載禁止と書いても転載される",
      "created_at": "Thu Mar 09 23:15:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "16"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000001570935",
      "id_str": "1300000000001570935",
      "full_text": "週末は展示会に行く予定です",
      "created_at": "Sat May 15 22:10:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "13"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000005760095",
      "id_str": "1300000000005760095",
      "full_text": "コーヒーを淹れて作業開始",
      "created_at": "Wed May 18 01:01:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "12"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000013195854",
      "id_str": "1300000000013195854",
      "full_text": "RT @user056: 画像生成AIの無断学習について考えをまとめた",
      "created_at": "Tue Sep 27 14:28:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "35"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000010996545",
      "id_str": "1300000000010996545",
      "full_text": "無断学習禁止の一文を全作品に入れました",
      "created_at": "Sat Sep 10 06:38:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "19"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000011101274",
      "id_str": "1300000000011101274",
      "full_text": "画像生成AIの無断学習について考えをまとめた",
      "created_at": "Sat Sep 10 18:35:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "22"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000002932412",
      "id_str": "1300000000002932412",
      "full_text": "ラーメン食べて元気出た",
      "created_at": "Mon Sep 20 12:33:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "11"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000015918808",
      "id_str": "1300000000015918808",
      "full_text": "今日は雨なので家で絵を描いています",
      "created_at": "Fri Dec 16 22:35:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "17"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000012148564",
      "id_str": "1300000000012148564",
      "full_text": "ムダンガクシュウってまだ法律的にはグレーなの?",
      "created_at": "Sat Sep 17 08:59:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "23"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000014033686",
      "id_str": "1300000000014033686",
      "full_text": "RT @user091: AI絵師の無断学習への反発がすごい",
      "created_at": "Wed Oct 12 02:47:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "30"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000016128266",
      "id_str": "1300000000016128266",
      "full_text": "RT @user071: 今月の目標は毎日クロッキー",
      "created_at": "Sun Jan 01 04:36:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "26"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000009844526",
      "id_str": "1300000000009844526",
      "full_text": "ムダンガクシュウってまだ法律的にはグレーなの?",
      "created_at": "Mon Sep 05 13:02:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "23"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000004922263",
      "id_str": "1300000000004922263",
      "full_text": "猫がキーボードの上で寝ている",
      "created_at": "Wed Mar 09 01:09:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "14"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000002722954",
      "id_str": "1300000000002722954",
      "full_text": "無断転載を見つけたので通報しました",
      "created_at": "Thu Sep 02 10:31:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "17"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000007959404",
      "id_str": "1300000000007959404",
      "full_text": "画像生成AIの無断学習について考えをまとめた",
      "created_at": "Tue Aug 30 18:51:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "22"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000003665515",
      "id_str": "1300000000003665515",
      "full_text": "色塗りのコツがやっと分かってきた",
      "created_at": "Mon Nov 22 05:16:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "16"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000000837832",
      "id_str": "1300000000000837832",
      "full_text": "ラフを三枚描いた",
      "created_at": "Sat Mar 20 10:21:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "8"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000010053984",
      "id_str": "1300000000010053984",
      "full_text": "ムダンガクシュウってまだ法律的にはグレーなの?",
      "created_at": "Tue Sep 06 05:14:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "23"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000005550637",
      "id_str": "1300000000005550637",
      "full_text": "今月の目標は毎日クロッキー",
      "created_at": "Sat Apr 30 06:35:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "13"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000000523645",
      "id_str": "1300000000000523645",
      "full_text": "無断学習って学校の用語なのかな",
      "created_at": "Thu Feb 18 13:40:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "15"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000013614770",
      "id_str": "1300000000013614770",
      "full_text": "#無断学習禁止 自分の絵をAIに学習させないでください",
      "created_at": "Tue Oct 04 06:01:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "27"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000014557331",
      "id_str": "1300000000014557331",
      "full_text": "無断学習で作られたAIイラストは使いたくない",
      "created_at": "Tue Oct 25 22:27:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "22"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000017908659",
      "id_str": "1300000000017908659",
      "full_text": "新しいペンタブが届いた",
      "created_at": "Mon May 29 12:52:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "11"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000000314187",
      "id_str": "1300000000000314187",
      "full_text": "ラフを三枚描いた",
      "created_at": "Sun Jan 31 02:10:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "8"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000002199309",
      "id_str": "1300000000002199309",
      "full_text": "RT @user057: コーヒーを淹れて作業開始",
      "created_at": "Sat Jul 10 13:28:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "25"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000007016843",
      "id_str": "1300000000007016843",
      "full_text": "#無断学習禁止 自分の絵をAIに学習させないでください",
      "created_at": "Sun Aug 28 15:19:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "27"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000004712805",
      "id_str": "1300000000004712805",
      "full_text": "RT @user119: 無断転載禁止と書いても転載される",
      "created_at": "Tue Feb 22 03:39:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "29"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000005655366",
      "id_str": "1300000000005655366",
      "full_text": "ラフを三枚描いた",
      "created_at": "Fri May 06 00:37:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "8"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000003874973",
      "id_str": "1300000000003874973",
      "full_text": "締め切りが近くて眠い",
      "created_at": "Sat Dec 11 03:24:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "10"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000001152019",
      "id_str": "1300000000001152019",
      "full_text": "RT @user082: 配信を見ながら作業中",
      "created_at": "Tue Apr 13 07:33:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "23"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000007540488",
      "id_str": "1300000000007540488",
      "full_text": "#無断学習禁止 自分の絵をAIに学習させないでください",
      "created_at": "Mon Aug 29 19:03:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "27"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000010368171",
      "id_str": "1300000000010368171",
      "full_text": "学習元のデータセット(LAION)に自分の絵が入っていた。無断学習だと思う",
      "created_at": "Wed Sep 07 10:50:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "37"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000016756640",
      "id_str": "1300000000016756640",
      "full_text": "週末は展示会に行く予定です",
      "created_at": "Mon Feb 20 07:31:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "13"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000011520190",
      "id_str": "1300000000011520190",
      "full_text": "AI絵師の無断学習への反発がすごい",
      "created_at": "Tue Sep 13 01:49:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "17"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000014662060",
      "id_str": "1300000000014662060",
      "full_text": "締め切りが近くて眠い",
      "created_at": "Fri Oct 28 14:47:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "10"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000011415461",
      "id_str": "1300000000011415461",
      "full_text": "無断学習禁止の一文を全作品に入れました",
      "created_at": "Mon Sep 12 13:45:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "19"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000003770244",
      "id_str": "1300000000003770244",
      "full_text": "週末は展示会に行く予定です",
      "created_at": "Mon Nov 29 14:43:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "13"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000004189160",
      "id_str": "1300000000004189160",
      "full_text": "新しいペンタブが届いた",
      "created_at": "Sat Jan 08 23:55:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "11"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000004398618",
      "id_str": "1300000000004398618",
      "full_text": "無断転載禁止と書いても転載される",
      "created_at": "Fri Jan 28 06:05:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "16"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000012358022",
      "id_str": "1300000000012358022",
      "full_text": "AI作画のmimicがサービスを一時停止した",
      "created_at": "Mon Sep 19 01:43:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "22"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000008692507",
      "id_str": "1300000000008692507",
      "full_text": "ムダンガクシュウってまだ法律的にはグレーなの?",
      "created_at": "Thu Sep 01 20:18:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "23"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000006912114",
      "id_str": "1300000000006912114",
      "full_text": "Stable Diffusionが公開されたので「無断学習禁止」の注意書きを追加しました",
      "created_at": "Tue Aug 23 11:45:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "44"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000018118117",
      "id_str": "1300000000018118117",
      "full_text": "猫がキーボードの上で寝ている",
      "created_at": "Mon Jun 19 22:39:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "14"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000002513496",
      "id_str": "1300000000002513496",
      "full_text": "RT @user082: 締め切りが近くて眠い",
      "created_at": "Mon Aug 09 12:05:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "23"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000000418916",
      "id_str": "1300000000000418916",
      "full_text": "今日は雨なので家で絵を描いています",
      "created_at": "Thu Feb 11 08:39:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "17"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000015080976",
      "id_str": "1300000000015080976",
      "full_text": "AI絵師の無断学習への反発がすごい",
      "created_at": "Sat Nov 12 01:00:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "17"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000017175556",
      "id_str": "1300000000017175556",
      "full_text": "RT @user120: 今日は雨なので家で絵を描いています",
      "created_at": "Fri Mar 24 01:32:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "30"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000015814079",
      "id_str": "1300000000015814079",
      "full_text": "#無断学習禁止 自分の絵をAIに学習させないでください",
      "created_at": "Wed Dec 14 02:34:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "27"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000000942561",
      "id_str": "1300000000000942561",
      "full_text": "今日は雨なので家で絵を描いています",
      "created_at": "Sat Mar 27 01:26:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "17"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000004817534",
      "id_str": "1300000000004817534",
      "full_text": "締め切りが近くて眠い",
      "created_at": "Thu Mar 03 07:36:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "10"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000014138415",
      "id_str": "1300000000014138415",
      "full_text": "AIイラストのmimicのβ版、自分の絵を無断学習されたら困る",
      "created_at": "Fri Oct 14 21:07:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "31"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000010158713",
      "id_str": "1300000000010158713",
      "full_text": "RT @user107: 画像生成AIの無断学習について考えをまとめた",
      "created_at": "Tue Sep 06 13:02:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "35"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000013405312",
      "id_str": "1300000000013405312",
      "full_text": "画像生成AIの無断学習について考えをまとめた",
      "created_at": "Fri Sep 30 18:42:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "22"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000013928957",
      "id_str": "1300000000013928957",
      "full_text": "締め切りが近くて眠い",
      "created_at": "Sun Oct 09 09:35:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "10"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000005969553",
      "id_str": "1300000000005969553",
      "full_text": "猫がキーボードの上で寝ている",
      "created_at": "Sat Jun 04 23:16:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "14"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000012253293",
      "id_str": "1300000000012253293",
      "full_text": "#無断学習禁止 自分の絵をAIに学習させないでください",
      "created_at": "Sun Sep 18 03:36:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "27"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000009111423",
      "id_str": "1300000000009111423",
      "full_text": "無断学習で作られたAIイラストは使いたくない",
      "created_at": "Sat Sep 03 00:11:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "22"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000015604621",
      "id_str": "1300000000015604621",
      "full_text": "#無断学習禁止 自分の絵をAIに学習させないでください",
      "created_at": "Tue Dec 06 11:17:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "27"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000006493198",
      "id_str": "1300000000006493198",
      "full_text": "締め切りが近くて眠い",
      "created_at": "Mon Jul 18 10:02:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "10"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000007854675",
      "id_str": "1300000000007854675",
      "full_text": "学習元のデータセット(LAION)に自分の絵が入っていた。無断学習だと思う",
      "created_at": "Tue Aug 30 12:54:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "37"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000004608076",
      "id_str": "1300000000004608076",
      "full_text": "ラフを三枚描いた",
      "created_at": "Mon Feb 14 01:08:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "8"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000012776938",
      "id_str": "1300000000012776938",
      "full_text": "画像生成AIの無断学習について考えをまとめた",
      "created_at": "Thu Sep 22 21:05:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "22"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000004084431",
      "id_str": "1300000000004084431",
      "full_text": "今日は雨なので家で絵を描いています",
      "created_at": "Tue Dec 28 01:54:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "17"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000014452602",
      "id_str": "1300000000014452602",
      "full_text": "朝から電車が遅れていた",
      "created_at": "Sat Oct 22 22:54:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "11"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000013300583",
      "id_str": "1300000000013300583",
      "full_text": "無断学習禁止の一文を全作品に入れました",
      "created_at": "Thu Sep 29 10:51:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "19"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000012567480",
      "id_str": "1300000000012567480",
      "full_text": "画像生成AIのプロンプトを研究中",
      "created_at": "Tue Sep 20 23:32:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "16"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000010891816",
      "id_str": "1300000000010891816",
      "full_text": "学習元のデータセット(LAION)に自分の絵が入っていた。無断学習だと思う",
      "created_at": "Fri Sep 09 21:37:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "37"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000009006694",
      "id_str": "1300000000009006694",
      "full_text": "無断学習禁止の一文を全作品に入れました",
      "created_at": "Fri Sep 02 18:53:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "19"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000009949255",
      "id_str": "1300000000009949255",
      "full_text": "RT @user033: ムダンガクシュウってまだ法律的にはグレーなの?",
      "created_at": "Mon Sep 05 20:16:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "36"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000002618225",
      "id_str": "1300000000002618225",
      "full_text": "配信を見ながら作業中",
      "created_at": "Mon Aug 23 12:23:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "10"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000014243144",
      "id_str": "1300000000014243144",
      "full_text": "今月の目標は毎日クロッキー",
      "created_at": "Mon Oct 17 11:47:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "13"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000011310732",
      "id_str": "1300000000011310732",
      "full_text": "猫がキーボードの上で寝ている",
      "created_at": "Mon Sep 12 03:40:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "14"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000017385014",
      "id_str": "1300000000017385014",
      "full_text": "RT @user018: 猫がキーボードの上で寝ている",
      "created_at": "Fri Apr 14 13:12:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "27"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000005864824",
      "id_str": "1300000000005864824",
      "full_text": "朝から電車が遅れていた",
      "created_at": "Thu May 26 05:26:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "11"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000012672209",
      "id_str": "1300000000012672209",
      "full_text": "学習元のデータセット(LAION)に自分の絵が入っていた。無断学習だと思う",
      "created_at": "Thu Sep 22 01:41:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "37"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000007749946",
      "id_str": "1300000000007749946",
      "full_text": "AIイラストのmimicのβ版、自分の絵を無断学習されたら困る",
      "created_at": "Tue Aug 30 07:22:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "31"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000003351328",
      "id_str": "1300000000003351328",
      "full_text": "今月の目標は毎日クロッキー",
      "created_at": "Tue Oct 26 13:55:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "13"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000007331030",
      "id_str": "1300000000007331030",
      "full_text": "学習元のデータセット(LAION)に自分の絵が入っていた。無断学習だと思う",
      "created_at": "Mon Aug 29 10:31:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "37"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000002094580",
      "id_str": "1300000000002094580",
      "full_text": "猫がキーボードの上で寝ている",
      "created_at": "Sun Jul 04 09:38:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "14"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000008797236",
      "id_str": "1300000000008797236",
      "full_text": "AIイラストのmimicのβ版、自分の絵を無断学習されたら困る",
      "created_at": "Fri Sep 02 02:59:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "31"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000003456057",
      "id_str": "1300000000003456057",
      "full_text": "週末は展示会に行く予定です",
      "created_at": "Thu Nov 04 11:19:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "13"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000016023537",
      "id_str": "1300000000016023537",
      "full_text": "無断学習で作られたAIイラストは使いたくない",
      "created_at": "Sat Dec 24 04:27:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "22"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000006807385",
      "id_str": "1300000000006807385",
      "full_text": "今日は雨なので家で絵を描いています",
      "created_at": "Sat Aug 13 10:10:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "17"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000016337724",
      "id_str": "1300000000016337724",
      "full_text": "新しいペンタブが届いた",
      "created_at": "Tue Jan 17 04:40:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "11"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000016861369",
      "id_str": "1300000000016861369",
      "full_text": "RT @user106: ラフを三枚描いた",
      "created_at": "Thu Mar 02 11:00:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "21"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000003560786",
      "id_str": "1300000000003560786",
      "full_text": "週末は展示会に行く予定です",
      "created_at": "Wed Nov 10 07:48:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "13"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000014871518",
      "id_str": "1300000000014871518",
      "full_text": "RT @user024: 今月の目標は毎日クロッキー",
      "created_at": "Fri Nov 04 23:24:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "26"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000017070827",
      "id_str": "1300000000017070827",
      "full_text": "新しいペンタブが届いた",
      "created_at": "Thu Mar 16 11:02:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "11"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000006702656",
      "id_str": "1300000000006702656",
      "full_text": "色塗りのコツがやっと分かってきた",
      "created_at": "Thu Aug 04 14:47:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "16"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000013510041",
      "id_str": "1300000000013510041",
      "full_text": "RT @user008: 朝から電車が遅れていた",
      "created_at": "Sun Oct 02 11:02:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "24"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000015499892",
      "id_str": "1300000000015499892",
      "full_text": "RT @user009: 配信を見ながら作業中",
      "created_at": "Thu Dec 01 09:40:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "23"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000001780393",
      "id_str": "1300000000001780393",
      "full_text": "締め切りが近くて眠い",
      "created_at": "Fri Jun 04 03:16:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "10"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000001361477",
      "id_str": "1300000000001361477",
      "full_text": "色塗りのコツがやっと分かってきた",
      "created_at": "Fri Apr 30 04:23:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "16"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000007121572",
      "id_str": "1300000000007121572",
      "full_text": "学習元のデータセット(LAION)に自分の絵が入っていた。無断学習だと思う",
      "created_at": "Sun Aug 28 23:05:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "37"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000011834377",
      "id_str": "1300000000011834377",
      "full_text": "ムダンガクシュウってまだ法律的にはグレーなの?",
      "created_at": "Thu Sep 15 04:47:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "23"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000007226301",
      "id_str": "1300000000007226301",
      "full_text": "#無断学習禁止 自分の絵をAIに学習させないでください",
      "created_at": "Mon Aug 29 05:41:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "27"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000014766789",
      "id_str": "1300000000014766789",
      "full_text": "学習元のデータセット(LAION)に自分の絵が入っていた。無断学習だと思う",
      "created_at": "Tue Nov 01 06:59:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "37"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000009635068",
      "id_str": "1300000000009635068",
      "full_text": "無断学習で作られたAIイラストは使いたくない",
      "created_at": "Sun Sep 04 19:23:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "22"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000015395163",
      "id_str": "1300000000015395163",
      "full_text": "RT @user043: 無断学習で作られたAIイラストは使いたくない",
      "created_at": "Sun Nov 27 04:02:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "35"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000008168862",
      "id_str": "1300000000008168862",
      "full_text": "AIイラストのmimicのβ版、自分の絵を無断学習されたら困る",
      "created_at": "Wed Aug 31 08:51:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "31"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000010787087",
      "id_str": "1300000000010787087",
      "full_text": "RT @user049: 画像生成AIの無断学習について考えをまとめた",
      "created_at": "Fri Sep 09 09:38:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "35"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000015709350",
      "id_str": "1300000000015709350",
      "full_text": "LoRAで特定の絵師の画風を真似るのは無断学習では",
      "created_at": "Sun Dec 11 02:03:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "25"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000006074282",
      "id_str": "1300000000006074282",
      "full_text": "新しいペンタブが届いた",
      "created_at": "Thu Jun 16 01:00:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "11"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000016547182",
      "id_str": "1300000000016547182",
      "full_text": "猫がキーボードの上で寝ている",
      "created_at": "Sat Feb 04 12:38:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "14"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000011729648",
      "id_str": "1300000000011729648",
      "full_text": "mimic、他人の絵をアップロードしてAIに無断学習させられるのが問題",
      "created_at": "Wed Sep 14 07:13:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "35"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000003141870",
      "id_str": "1300000000003141870",
      "full_text": "配信を見ながら作業中",
      "created_at": "Wed Oct 06 07:18:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "10"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000001466206",
      "id_str": "1300000000001466206",
      "full_text": "ラフを三枚描いた",
      "created_at": "Sat May 08 14:45:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "8"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000011206003",
      "id_str": "1300000000011206003",
      "full_text": "無断学習で作られたAIイラストは使いたくない",
      "created_at": "Sun Sep 11 10:13:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "22"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000009530339",
      "id_str": "1300000000009530339",
      "full_text": "無断学習で作られたAIイラストは使いたくない",
      "created_at": "Sun Sep 04 08:29:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "22"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000002304038",
      "id_str": "1300000000002304038",
      "full_text": "週末は展示会に行く予定です",
      "created_at": "Sun Jul 18 22:24:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "13"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000001675664",
      "id_str": "1300000000001675664",
      "full_text": "今日は雨なので家で絵を描いています",
      "created_at": "Sun May 23 05:10:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "17"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000000733103",
      "id_str": "1300000000000733103",
      "full_text": "ラーメン食べて元気出た",
      "created_at": "Thu Mar 11 13:34:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "11"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000007645217",
      "id_str": "1300000000007645217",
      "full_text": "RT @user038: AIイラストのmimicのβ版、自分の絵を無断学習されたら困る",
      "created_at": "Tue Aug 30 02:12:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "44"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000000209458",
      "id_str": "1300000000000209458",
      "full_text": "ラフを三枚描いた",
      "created_at": "Fri Jan 22 08:42:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "8"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000016442453",
      "id_str": "1300000000016442453",
      "full_text": "週末は展示会に行く予定です",
      "created_at": "Wed Jan 25 02:49:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "13"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000009425610",
      "id_str": "1300000000009425610",
      "full_text": "AIイラストのmimicのβ版、自分の絵を無断学習されたら困る",
      "created_at": "Sun Sep 04 04:46:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "31"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000004503347",
      "id_str": "1300000000004503347",
      "full_text": "配信を見ながら作業中",
      "created_at": "Sun Feb 06 02:47:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "10"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000005236450",
      "id_str": "1300000000005236450",
      "full_text": "RT @user015: 新しいペンタブが届いた",
      "created_at": "Thu Apr 07 01:44:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "24"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000014976247",
      "id_str": "1300000000014976247",
      "full_text": "週末は展示会に行く予定です",
      "created_at": "Tue Nov 08 10:03:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "13"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000001256748",
      "id_str": "1300000000001256748",
      "full_text": "今月の目標は毎日クロッキー",
      "created_at": "Thu Apr 22 01:58:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "13"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000012462751",
      "id_str": "1300000000012462751",
      "full_text": "朝から電車が遅れていた",
      "created_at": "Tue Sep 20 01:12:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "11"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000012881667",
      "id_str": "1300000000012881667",
      "full_text": "AI絵師の無断学習への反発がすごい",
      "created_at": "Sat Sep 24 06:46:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "17"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000006283740",
      "id_str": "1300000000006283740",
      "full_text": "RT @user039: 配信を見ながら作業中",
      "created_at": "Thu Jun 30 02:52:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "23"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000013091125",
      "id_str": "1300000000013091125",
      "full_text": "mimic、本人の絵だけをAIに学習させる仕組みに変わるらしい",
      "created_at": "Mon Sep 26 11:36:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "31"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000006597927",
      "id_str": "1300000000006597927",
      "full_text": "今月の目標は毎日クロッキー",
      "created_at": "Tue Jul 26 12:58:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "13"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000000000000",
      "id_str": "1300000000000000000",
      "full_text": "RT @user040: 今月の目標は毎日クロッキー",
      "created_at": "Tue Jan 05 07:44:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "26"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000010263442",
      "id_str": "1300000000010263442",
      "full_text": "画像生成AIの無断学習について考えをまとめた",
      "created_at": "Tue Sep 06 22:46:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "22"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000003246599",
      "id_str": "1300000000003246599",
      "full_text": "ラフを三枚描いた",
      "created_at": "Thu Oct 14 07:05:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "8"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000002408767",
      "id_str": "1300000000002408767",
      "full_text": "配信を見ながら作業中",
      "created_at": "Mon Aug 02 01:20:00 +0000 2021",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "10"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000016651911",
      "id_str": "1300000000016651911",
      "full_text": "無断転載禁止と書いても転載される",
      "created_at": "Tue Feb 14 02:53:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "16"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000013824228",
      "id_str": "1300000000013824228",
      "full_text": "猫がキーボードの上で寝ている",
      "created_at": "Fri Oct 07 14:14:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "14"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000017489743",
      "id_str": "1300000000017489743",
      "full_text": "配信を見ながら作業中",
      "created_at": "Sat Apr 22 14:17:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "10"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000017803930",
      "id_str": "1300000000017803930",
      "full_text": "配信を見ながら作業中",
      "created_at": "Sat May 20 23:30:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "10"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000018222846",
      "id_str": "1300000000018222846",
      "full_text": "コーヒーを淹れて作業開始",
      "created_at": "Wed Jun 28 13:06:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "12"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000008901965",
      "id_str": "1300000000008901965",
      "full_text": "AI絵師の無断学習への反発がすごい",
      "created_at": "Fri Sep 02 12:20:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "17"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000015185705",
      "id_str": "1300000000015185705",
      "full_text": "ムダンガクシュウってまだ法律的にはグレーなの?",
      "created_at": "Tue Nov 15 16:15:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "23"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000005445908",
      "id_str": "1300000000005445908",
      "full_text": "ラーメン食べて元気出た",
      "created_at": "Sat Apr 23 23:12:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "11"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000004293889",
      "id_str": "1300000000004293889",
      "full_text": "締め切りが近くて眠い",
      "created_at": "Thu Jan 20 12:34:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "10"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000018013388",
      "id_str": "1300000000018013388",
      "full_text": "まとめサイトへの無断転載が多すぎる",
      "created_at": "Sat Jun 10 23:32:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "17"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000005026992",
      "id_str": "1300000000005026992",
      "full_text": "ラーメン食べて元気出た",
      "created_at": "Sat Mar 19 01:42:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "11"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000012986396",
      "id_str": "1300000000012986396",
      "full_text": "ムダンガクシュウってまだ法律的にはグレーなの?",
      "created_at": "Sun Sep 25 10:36:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "23"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000014347873",
      "id_str": "1300000000014347873",
      "full_text": "ラーメン食べて元気出た",
      "created_at": "Thu Oct 20 04:17:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "11"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000005341179",
      "id_str": "1300000000005341179",
      "full_text": "無断転載を見つけたので通報しました",
      "created_at": "Fri Apr 15 03:36:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "17"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000017280285",
      "id_str": "1300000000017280285",
      "full_text": "今日は雨なので家で絵を描いています",
      "created_at": "Mon Apr 03 07:41:00 +0000 2023",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "17"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id": "1300000000009320881",
      "id_str": "1300000000009320881",
      "full_text": "mimic、他人の絵をアップロードしてAIに無断学習させられるのが問題",
      "created_at": "Sat Sep 03 16:01:00 +0000 2022",
      "lang": "ja",
      "retweeted": false,
      "favorite_count": "0",
      "retweet_count": "0",
      "truncated": false,
      "display_text_range": [
        "0",
        "35"
      ],
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      }
    }
  }
]