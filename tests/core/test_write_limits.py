"""Members the operator names (WRITE_LIMITS_EXEMPT_MEMBERS) write without limits; no one else."""

from tests.conftest import login, make_review, make_user


def test_members_the_operator_exempts_write_without_limits(client, app, monkeypatch):
    exempt, other = make_user(trust=0), make_user(trust=0)
    monkeypatch.setitem(app.config, "WRITE_LIMITS_EXEMPT_MEMBERS", (exempt.username.upper(),))
    burst = int(app.config["WRITE_BURST_LIMITS"][0].split("/")[0])
    for member, expected in ((exempt, False), (other, True)):
        login(client, member.username)
        review = make_review(member)
        statuses = [
            client.post(f"/reviews/{review.id}/edit", data={}).status_code for _ in range(burst + 1)
        ]
        assert (429 in statuses) is expected, member.username
        client.post("/logout")
