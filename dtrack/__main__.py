"""``python -m dtrack``: the same command line as the ``dtrack`` script."""

from dtrack.cli.main import main

if __name__ == "__main__":
    main(prog_name="dtrack")
