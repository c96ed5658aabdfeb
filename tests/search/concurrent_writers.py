"""Run in separate processes by test_multiprocess.py: each writes posts and drains the index."""

from community import create_app
from community.accounts.models import User
from community.extensions import db
from community.forum import service as forum
from community.search import service as search


def write_posts(config: dict, thread_id: int, author_id: int, count: int, tag: str) -> None:
    app = create_app(config)
    for number in range(count):
        with app.test_request_context("/", method="POST"):  # each write as its own request
            author = db.session.get(User, author_id)
            thread = forum.get_thread_or_404(thread_id)
            post = forum.reply(
                author, thread, f"Concurrent post {tag} number {number} about payouts"
            )
            if number % 4 == 0:
                forum.delete_post(author, post)
        with app.app_context():
            search.drain()  # what each request does once its answer is sent
