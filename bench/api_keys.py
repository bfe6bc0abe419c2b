"""What checking an API key costs: the keyed hash askdesk uses (HMAC-SHA256 under the server's
secret) against Django's default password hasher (PBKDF2), per request.

    .venv/bin/python bench/api_keys.py [--rounds 20000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

from _machine import describe_machine  # noqa: E402 - bench/ is on the path when a script here runs


def per_call(function, rounds: int) -> float:
    """Median seconds per call over 5 batches of ``rounds`` calls."""
    batches = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            function()
        batches.append((time.perf_counter() - start) / rounds)
    return statistics.median(batches)


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--rounds", type=int, default=20_000, help="keyed-hash checks per batch (PBKDF2: 3)")
    args = parser.parse_args()
    import django

    django.setup()
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from askdesk.api.keys import key_digest, key_matches, new_key

    plain, _ = new_key()
    digest = key_digest(plain)
    hasher = PBKDF2PasswordHasher()
    encoded = hasher.encode(plain, hasher.salt())
    hmac_s = per_call(lambda: key_matches(plain, digest), args.rounds)
    pbkdf2_s = per_call(lambda: hasher.verify(plain, encoded), 3)
    print(describe_machine())
    print(f"HMAC-SHA256 key check:  {hmac_s * 1e6:8.1f} µs per request")
    print(f"PBKDF2 ({hasher.iterations:,} iterations): {pbkdf2_s * 1e3:8.1f} ms per request")
    print(f"ratio: {pbkdf2_s / hmac_s:,.0f}x")


if __name__ == "__main__":
    main()
