from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    policy = client.get("/login/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_a_user_can_log_in_with_the_right_password(client, alice, password):
    response = client.post("/login/", {"login": "alice", "password": password})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_repeated_failed_logins_lock_the_account(client, alice, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/login/", {"login": "alice", "password": "wrong"})
    response = client.post("/login/", {"login": "alice", "password": "wrong"})
    assert response.status_code == 429
    # Even the right password is refused while locked out.
    response = client.post("/login/", {"login": "alice", "password": password})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert client.get("/").status_code == 302


def test_a_wrong_password_shows_a_form_error(client, alice):
    response = client.post("/login/", {"login": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert (
        "The username and/or password you specified are not correct." in response.content.decode()
    )


def test_a_stranger_cannot_lock_a_colleague_out(client, alice, password, settings):
    # Five wrong passwords for alice from the stranger's address lock that address out...
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"login": "alice", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
    stranger = client.post(
        "/login/", {"login": "alice", "password": password}, REMOTE_ADDR="203.0.113.9"
    )
    assert stranger.status_code == 429
    # ...and not alice, signing in from her own.
    response = client.post(
        "/login/", {"login": "alice", "password": password}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_lock_out_counts_alice_and_ALICE_together(client, alice, settings):
    for name in ["alice", "ALICE", "Alice", " alice", "aLiCe"][: settings.AXES_FAILURE_LIMIT]:
        client.post("/login/", {"login": name, "password": "wrong"})
    assert client.post("/login/", {"login": "alice", "password": "wrong"}).status_code == 429


def test_a_username_longer_than_any_account_gets_a_form_error_not_a_500(client, alice):
    response = client.post("/login/", {"login": "a" * 300, "password": "wrong"})
    assert response.status_code == 200
    assert "Ensure this value has at most 254 characters (it has 300)." in response.content.decode()


def test_alice_signs_in_with_her_email_address(client, alice, password):
    alice.email = "alice@acme.example"
    alice.save()
    response = client.post("/login/", {"login": "alice@acme.example", "password": password})
    assert response.status_code == 302
    assert response["Location"] == "/"
