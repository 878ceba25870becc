import sys

from creatormatch.cli import main

sys.exit(main())
