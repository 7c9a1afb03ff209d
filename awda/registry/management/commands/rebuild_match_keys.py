"""`manage.py rebuild_match_keys [--chunk N]`: rebuild every person's duplicate-check keys
(registry.PersonMatchKey) with the current engine.

The registry services keep the keys current; run this after an upgrade that changes the engine's
blocking keys, or after data was written around the services. Idempotent (each chunk of persons,
in id order, has its keys deleted and written again in one transaction), so it can be interrupted
and run again; the duplicate check keeps working meanwhile with the keys of each chunk as they are.
"""

import time

from django.core.management.base import BaseCommand

from awda.registry.match_keys import BATCH_SIZE, rebuild_all


class Command(BaseCommand):
    help = "Rebuild the persons' duplicate-check keys (registry.PersonMatchKey)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk", type=int, default=BATCH_SIZE, help="Persons per transaction."
        )

    def handle(self, *args, chunk, verbosity=1, **options):
        started = time.monotonic()
        every = max(1, 50_000 // max(chunk, 1)) * max(chunk, 1)

        def log(persons, keys):
            if verbosity >= 2 or (verbosity >= 1 and persons % every == 0):
                self.stdout.write(f"{persons} persons, {keys} keys")

        persons, keys = rebuild_all(chunk=max(chunk, 1), log=log)
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt {keys} keys of {persons} persons in {time.monotonic() - started:.1f} s."
            )
        )
