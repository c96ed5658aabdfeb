"""The ceilings of the page bench, served by the same gunicorn settings as the site, with nothing
of Taskopticon loaded: a minimal Flask page rendering a template (for the pages), and a minimal
form post that adds a row through the SQLAlchemy ORM to a SQLite database in WAL mode, taking the
write lock first as the site does, and redirects (for the writes). CEILING_DATABASE: the file."""

import os
from pathlib import Path

from flask import Flask, redirect, render_template, request
from sqlalchemy import Text, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

app = Flask(__name__, template_folder=str(Path(__file__).resolve().parent))
engine = create_engine(f"sqlite:///{os.environ['CEILING_DATABASE']}")


class Base(DeclarativeBase):
    pass


class Post(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)


@event.listens_for(engine, "connect")
def on_connect(dbapi_connection, _record):
    dbapi_connection.isolation_level = None
    for pragma in ("journal_mode=WAL", "busy_timeout=10000", "synchronous=NORMAL"):
        dbapi_connection.execute(f"PRAGMA {pragma}")


@event.listens_for(engine, "begin")
def on_begin(connection):
    connection.exec_driver_sql("BEGIN IMMEDIATE")


Base.metadata.create_all(engine)  # in a write transaction: the two workers take turns


@app.get("/")
def page():
    return render_template("page.html", title="Ceiling", items=range(1, 21))


@app.post("/write")
def write():
    with Session(engine) as session:
        post = Post(body=request.form["body"])
        session.add(post)
        session.commit()
        return redirect(f"/#p{post.id}", 303)
