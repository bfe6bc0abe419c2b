"""What one client can do against a running askdesk: submissions, sign-in guesses, private-link guesses.

Makes a fresh askdesk on SQLite (migrate, collectstatic, load_demo, as bench/load.py does) and
serves it with gunicorn (config/gunicorn.py) on a free port on 127.0.0.1, with its production limits (the defaults
in .env.example) and one trusted proxy, so that the benchmark can speak as several clients
through X-Forwarded-For. Then, each phase bounded in requests and time:

  1. submissions: one client posts questions (each a different text) as fast as it can for
     --seconds; prints how many were accepted, how many got 429, and the rows stored;
  2. scripts: posts with the hidden honeypot field filled in, and posts sent at once after
     the form was shown (under the minimum fill time), each from fresh clients: accepted?
  3. repeated text: one client sends the same text 5 times: how many are stored as spam;
  4. sign-in: wrong passwords for the demo editor until sign-in answers 429, then the right
     password; and one address trying many account names;
  5. private links: --link-guesses GETs of random /q/<token>/ links: how many were answered
     (and found something).

    .venv/bin/python bench/abuse.py
    .venv/bin/python bench/abuse.py --seconds 60 --link-guesses 1000
"""

from __future__ import annotations

import argparse
import re
import secrets
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from _machine import describe_machine  # bench/ is on the path when a script here runs
from load import HOST, Server, request

DEMO_EDITOR = ("editor", "askdesk-editor")


class Client:
    """One client, as the server sees it: its own address (X-Forwarded-For) and cookies."""

    def __init__(self, port: int, address: str) -> None:
        self.port = port
        self.address = address
        self.cookies: dict[str, str] = {}
        self.login_form: dict[str, str] = {}

    def call(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        headers = {"X-Forwarded-For": self.address, "Referer": f"http://{HOST}:{self.port}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, answer_headers, data = request(self.port, method, path, body=body, headers=headers)
        for name, value in re.findall(r"(csrftoken|sessionid)=([^;]+)", answer_headers.get("set-cookie", "")):
            self.cookies[name] = value
        return status, answer_headers, data

    def form(self, path: str) -> dict[str, str]:
        """The hidden fields of the page's form (CSRF token, and for the reader form its signed start time)."""
        _, _, body = self.call("GET", path)
        fields = dict(re.findall(rb'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', body))
        found = {k.decode(): v.decode() for k, v in fields.items()}
        action = re.search(rb'action="([^"]+)" class="ask-form"', body)
        if action:
            found["_action"] = action.group(1).decode()
        return found


def question_form(hidden: dict[str, str], text: str, **extra: str) -> dict[str, str]:
    form = {k: v for k, v in hidden.items() if not k.startswith("_") and k != "submission_key"}
    form.update({"question": text, "name": "Reader", "consent": "on", "submission_key": str(uuid.uuid4())})
    form.update(extra)
    return form


def sign_in(client: Client, username: str, password: str) -> int:
    hidden = client.form("/desk/login/") if "csrftoken" not in client.cookies else client.login_form
    client.login_form = hidden
    status, _, _ = client.call(
        "POST",
        "/desk/login/",
        {"csrfmiddlewaretoken": hidden["csrfmiddlewaretoken"], "username": username, "password": password},
    )
    return status


def count(server: Server, expression: str) -> str:
    out = server.manage("shell", "-c", f"from askdesk.questions.models import Question; print({expression})")
    return out.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="length of the submission burst")
    parser.add_argument("--link-guesses", type=int, default=1000)
    parser.add_argument("--login-attempts", type=int, default=30)
    args = parser.parse_args()
    print(f"machine: {describe_machine()}")
    with tempfile.TemporaryDirectory(prefix="askdesk-abuse-") as tmp:
        server = Server(f"sqlite:///{tmp}/askdesk.sqlite3", Path(tmp), web_workers=2)
        server.env.update({"DJANGO_BEHIND_PROXY": "0", "ASKDESK_PROXY_COUNT": "1", "ASKDESK_EMBEDDER": "hashing"})
        # bench/load.py's server turns the limits off to measure capacity; here they are what is measured.
        for name in ("ASKDESK_LIMITS_ENABLED", "ASKDESK_FORM_MIN_SECONDS"):
            server.env.pop(name, None)
        server.prepare()
        story = count(server, "__import__('askdesk.stories.models').stories.models.Story.objects.get().slug")
        story_path = f"/stories/{story}/"
        print(
            f"askdesk on 127.0.0.1:{server.port}, 2 gunicorn workers, SQLite, the limits of .env.example "
            "(reader form 5/m,30/h per client, 1200/m per call-out, 3 s minimum fill time; sign-in lockout "
            "after 10 failures per account and per address)"
        )
        server.start()
        try:
            # 1. One client, as fast as it can, with a form shown long enough ago.
            bot = Client(server.port, "203.0.113.10")
            hidden = bot.form(story_path)
            time.sleep(3.5)
            codes: dict[int, int] = {}
            first_refusal = None
            start = time.monotonic()
            n = 0
            while time.monotonic() - start < args.seconds:
                status, _, _ = bot.call("POST", hidden["_action"], question_form(hidden, f"Burst question {n}?"))
                codes[status] = codes.get(status, 0) + 1
                if status == 429 and first_refusal is None:
                    first_refusal = n
                n += 1
            wall = time.monotonic() - start
            stored = count(server, "Question.objects.filter(text__startswith='Burst question').count()")
            print(
                f"submissions   one client, {n} posts in {wall:.0f} s: accepted {codes.get(302, 0)} "
                f"({codes.get(302, 0) / (wall / 60):.1f} per minute), refused with 429 {codes.get(429, 0)}, "
                f"other {sum(v for k, v in codes.items() if k not in (302, 429))}; first 429 at post "
                f"{(first_refusal or 0) + 1}; rows stored {stored}"
            )

            # Each of those posts also counted for the call-out (1200/m for all readers together): under
            # gunicorn one client sends more than that in a minute, and the phases below would then
            # measure the call-out's ceiling instead of what they check. Its window passes first.
            if n > 1000:
                time.sleep(61)

            # 2. Scripts: honeypot filled in, or sent at once after the form was shown.
            honeypot = fast = 0
            for i in range(20):
                client = Client(server.port, f"198.51.100.{i + 1}")
                shown = client.form(story_path)
                status, _, _ = client.call(
                    "POST", shown["_action"], question_form(shown, f"Honeypot {i}?", website="http://spam.example")
                )
                honeypot += status == 302
                status, _, _ = client.call("POST", shown["_action"], question_form(shown, f"Too fast {i}?"))
                fast += status == 302
            print(
                f"scripts       honeypot filled: {honeypot}/20 accepted; "
                f"sent at once after the form was shown: {fast}/20 accepted"
            )

            # 3. Repeated text from one client.
            repeater = Client(server.port, "192.0.2.77")
            shown = repeater.form(story_path)
            time.sleep(3.5)
            for _ in range(5):
                repeater.call("POST", shown["_action"], question_form(shown, "Visit cheap-pills dot example now"))
            spam = count(server, "Question.objects.filter(text__startswith='Visit cheap', status='spam').count()")
            kept = count(server, "Question.objects.filter(text__startswith='Visit cheap').count()")
            print(f"repeated text 5 identical posts from one client: {kept} stored, {spam} of them as spam")

            # 4. Sign-in guesses.
            guesser = Client(server.port, "203.0.113.50")
            answered = 0
            for i in range(args.login_attempts):
                answered += 1
                if sign_in(guesser, DEMO_EDITOR[0], f"wrong-{i}") == 429:
                    break
            status = sign_in(guesser, *DEMO_EDITOR)
            status_elsewhere = sign_in(Client(server.port, "198.51.100.200"), *DEMO_EDITOR)
            sprayer = Client(server.port, "203.0.113.51")
            names_answered = 0
            for i in range(args.login_attempts):
                names_answered += 1
                if sign_in(sprayer, f"user{i}", "wrong") == 429:
                    break
            print(
                f"sign-in       wrong passwords tried until the lockout answered: {answered}; "
                f"then the right password: "
                f"HTTP {status} ({'refused' if status == 429 else 'accepted'}), from another address: HTTP "
                f"{status_elsewhere} ({'refused' if status_elsewhere == 429 else 'accepted'}); one address trying "
                f"account names: locked at attempt {names_answered}"
            )

            # 5. Private-link guesses.
            prober = Client(server.port, "203.0.113.90")
            found: dict[int, int] = {}
            start = time.monotonic()
            for _ in range(args.link_guesses):
                code, _, _ = prober.call("GET", f"/q/{secrets.token_urlsafe(32)}/")
                found[code] = found.get(code, 0) + 1
            wall = time.monotonic() - start
            print(
                f"private links {args.link_guesses} random guesses in {wall:.1f} s ({args.link_guesses / wall:.0f}/s): "
                f"answered {sum(v for k, v in found.items() if k != 429)} ({found}), found a question "
                f"{found.get(200, 0)}"
            )
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
