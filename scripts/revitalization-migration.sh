#!/usr/bin/env bash
# While the revitalization module is being built (no release yet), its one migration is
# regenerated from the models; a lock keeps two regenerations from overlapping.
set -euo pipefail
cd "$(dirname "$0")/.."
exec 9>/tmp/lokalnie-revitalization-migration.lock
flock 9
rm -f lokalnie/revitalization/migrations/0001_initial.py
.venv/bin/python manage.py makemigrations revitalization --name initial -v 0
.venv/bin/ruff format -q lokalnie/revitalization/migrations/ || true
