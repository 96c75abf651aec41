"""Outgoing e-mail over SMTP (the standard library's smtplib), when MAIL_SERVER is set.

Sent from a background thread: the page that triggers a message answers at once, and in
the same time whether or not a message went out (a password-reset request must not tell
whether an account exists by how long it takes).
"""

from __future__ import annotations

import smtplib
import threading
from email.message import EmailMessage

from flask import Flask, current_app


def configured(app: Flask | None = None) -> bool:
    cfg = (app or current_app).config
    return bool(cfg.get("MAIL_SERVER") and cfg.get("PUBLIC_URL"))


def send(to: str, subject: str, body: str) -> threading.Thread:
    cfg = dict(current_app.config)
    logger = current_app.logger
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)

    def deliver():
        try:
            with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=30) as smtp:
                if cfg["MAIL_STARTTLS"]:
                    smtp.starttls()
                if cfg.get("MAIL_USERNAME"):
                    smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
                smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            logger.error("mail to %s not sent: %s", to, exc)

    thread = threading.Thread(target=deliver, name="mail", daemon=True)
    thread.start()
    return thread
