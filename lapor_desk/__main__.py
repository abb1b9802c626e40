"""``python -m lapor_desk`` runs the ``lapor-desk`` command."""

from lapor_desk.cli import main

raise SystemExit(main())
