"""The journeys that matter, on the real site in a real browser, each ending in a screenshot in
test-artifacts/screenshots/ (journey-1-... to journey-6-...). They share one server: each one
works on its own items of the demo data."""

import io
from datetime import date

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select

from community.accounts.models import User
from community.catalog.models import Platform, Requester
from community.core.images import stored_path
from community.extensions import db
from community.flags.models import Flag
from community.forum.models import Post, Thread
from community.moderation.models import ActionKind, Appeal, ModerationAction
from community.proofs.models import Proof
from tests.e2e.conftest import PHONE, log_in, screenshot, show

pytestmark = pytest.mark.browser


def test_journey_1_a_newcomer_on_a_phone_checks_whether_an_app_pays_in_french(site, sessions):
    context = sessions.new(viewport=PHONE, locale="fr-FR", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site.url)
    assert page.evaluate("document.documentElement.lang") == "fr"
    box = page.get_by_role("searchbox", name="Vérifier une appli ou une plateforme")
    assert box.is_visible()
    box.fill("bemyeye")
    with page.expect_navigation():
        box.press("Enter")
    assert page.url.endswith("/platforms/bemyeye"), page.url
    card = page.locator(".legit-card")
    assert card.locator("h2").inner_text() == "Est-ce fiable\u00a0?"
    verdict = card.locator(".verdict").inner_text()
    assert verdict, "a verdict, never an empty card"
    evidence = card.locator(".evidence li")
    assert evidence.count() >= 3  # the verdict always stands on its evidence lines
    assert "preuve" in card.inner_text()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    show(page, ".legit-card")
    screenshot(page, "journey-1-newcomer-phone-fr", full_page=False)
    context.close()


def test_journey_2_a_worker_registers_reviews_with_pay_facts_and_the_figures_move(site, sessions):
    with site.db():
        requester = db.session.scalar(
            select(Requester)
            .join(Platform)
            .where(Platform.slug == "amazon-mechanical-turk", Requester.reviewer_count >= 3)
            .order_by(Requester.reviewer_count)
            .limit(1)
        )
        before = (requester.id, requester.reviewer_count, requester.avg_pay)
        dist_before = requester.stats["all"]["scores"]["pay"]["dist"]
    requester_id, count_before, avg_before = before

    context = sessions.new()
    page = context.new_page()
    page.goto(f"{site.url}/register")
    page.fill("#username", "new_worker_e2e")
    page.fill("#password", "a long enough password 2026")
    page.fill("#confirm", "a long enough password 2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Create my account").click()
    assert page.locator(".member-nav").get_by_text("new_worker_e2e").is_visible()

    page.goto(f"{site.url}/requesters/{requester_id}")
    headline = page.locator(".figures-panel .headline")
    assert f"{count_before} reviewers" in headline.inner_text()
    page.get_by_role("link", name="Review this requester").click()
    page.check("input[name=score_pay][value='5']")
    page.check("input[name=score_fairness][value='4']")
    page.check("input[name=score_communication][value='4']")
    page.fill("#task_title", "Receipt transcription batch")
    page.fill("#reward", "0.90")
    page.fill("#minutes", "15")
    page.select_option("#outcome", "approved")
    page.fill("#days_to_paid", "2")
    page.locator("#body").fill(
        "Paid in two days, instructions clear, but the batch took longer than announced."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Publish my review").click()
    assert "Thank you" in page.locator(".flashes").inner_text()

    mine = page.locator("article.review").filter(has_text="Receipt transcription batch")
    assert "$3.60/h" in mine.inner_text()  # 0.90 for 15 minutes
    headline = page.locator(".figures-panel .headline")
    assert f"{count_before + 1} reviewers" in headline.inner_text()
    expected_avg = (avg_before * count_before + 5) / (count_before + 1)
    pay_row = page.locator(".score-row").filter(has_text="Pay").first
    assert pay_row.locator("strong").inner_text() == f"{expected_avg:.1f}"
    five_stars = page.locator("#chart-pay-desc").text_content()
    assert f"5★: {dist_before[4] + 1} reviewer" in five_stars
    table = page.locator("table.figures tbody tr").first  # Reviewers, all time
    assert table.locator("td").first.inner_text() == str(count_before + 1)
    month = date.today().strftime("%B %Y")
    this_month = page.locator(".chart-figure + .visually-hidden tr").filter(has_text=month)
    assert this_month.count() == 1
    with site.db():
        stored = db.session.get(Requester, requester_id)
        assert stored.reviewer_count == count_before + 1
        assert stored.stats["all"]["scores"]["pay"]["dist"][4] == dist_before[4] + 1
    show(page, ".figures-panel")
    screenshot(page, "journey-2-review-moves-the-figures", full_page=False)
    context.close()


def _screenshot_png() -> bytes:
    """A payment screenshot: white, a green 'Payment received' band, an email address in red."""
    image = Image.new("RGB", (600, 400), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 599, 60), fill=(11, 110, 79))
    draw.text((20, 20), "Payment received: $12.50", fill=(255, 255, 255))
    draw.rectangle((100, 200, 400, 260), fill=(220, 40, 40))
    draw.text((120, 222), "jane.doe@example.com", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_journey_3_a_worker_uploads_a_proof_and_covers_a_region_in_the_browser(
    site, sessions, tmp_path
):
    upload = tmp_path / "payment.png"
    upload.write_bytes(_screenshot_png())
    context = sessions.new("demo")
    page = context.new_page()
    page.goto(f"{site.url}/proofs/new")
    page.set_input_files("#screenshot", str(upload))
    canvas = page.locator("#redact-canvas")
    canvas.wait_for(state="visible")
    page.wait_for_function("document.getElementById('redact-canvas').width === 600")
    box = canvas.bounding_box()
    scale = box["width"] / 600
    # Drag over the email address, a little beyond the red band on every side.
    page.mouse.move(box["x"] + 90 * scale, box["y"] + 190 * scale)
    page.mouse.down()
    page.mouse.move(box["x"] + 250 * scale, box["y"] + 230 * scale, steps=4)
    page.mouse.move(box["x"] + 410 * scale, box["y"] + 270 * scale, steps=4)
    page.mouse.up()
    assert "1" in page.locator("#redact-status").inner_text()
    page.check("#redacted")
    page.select_option("#platform_id", label="Prolific")
    page.fill("#amount", "12.50")
    page.select_option("#currency", "USD")
    page.fill("#received_on", date.today().isoformat())
    page.select_option("#payout_method", "paypal")
    show(page, "#redactor")
    screenshot(page, "journey-3a-redacting-before-upload", full_page=False)
    with page.expect_navigation():
        page.get_by_role("button", name="Publish my proof of payment").click()
    assert "/proofs/" in page.url and "/new" not in page.url, page.url
    assert page.locator(".proof-image img").is_visible()

    with site.db() as app:
        proof = db.session.scalar(
            select(Proof)
            .join(User, Proof.author_id == User.id)
            .where(User.username == "demo")
            .order_by(Proof.id.desc())
            .limit(1)
        )
        path = stored_path(app.config["UPLOAD_DIR"], proof.image_name)
    with Image.open(path) as stored:
        pixels = stored.convert("RGB")
        assert pixels.size == (600, 400)
        covered = pixels.crop((100, 200, 401, 261))
        assert max(max(channel) for channel in covered.getextrema()) <= 24  # black, all of it
        assert pixels.getpixel((300, 30))[1] > 90  # the green band stays
        assert pixels.getpixel((50, 300)) >= (240, 240, 240)  # the white stays white
        assert "exif" not in stored.info
    page.locator(".proof-image").scroll_into_view_if_needed()
    screenshot(page, "journey-3b-stored-proof-covered", full_page=False)
    context.close()


def test_journey_4_a_disturbing_task_is_flagged_and_another_reader_opens_the_warning(
    site, sessions
):
    context = sessions.new("demo")
    page = context.new_page()
    page.goto(f"{site.url}/flags/new")
    page.select_option("#platform_id", label="Toloka")
    page.fill("#task_title", "Rate violent video clips, batch 7")
    page.fill("#seen_on", date.today().isoformat())
    page.check("input[name=category][value=disturbing]")
    page.locator("#description").fill(
        "Clips of real assaults shown with no warning in the instructions; "
        "no way to skip them without losing the whole batch."
    )
    page.check("#disturbing")
    with page.expect_navigation():
        page.get_by_role("button", name="Publish my flag").click()
    flag_url = page.url
    assert "/flags/" in flag_url and "/new" not in flag_url
    context.close()

    reader = sessions.new()  # someone else, not logged in
    page = reader.new_page()
    page.goto(flag_url)
    warning = page.locator("details.content-warning")
    description = warning.locator(".flag-description")
    assert warning.count() == 1
    assert not description.is_visible()  # folded until the reader chooses to read it
    page.get_by_text("Content warning: disturbing content. Open to read.").click()
    assert description.is_visible()
    assert "real assaults" in description.inner_text()
    with site.db():
        flag = db.session.scalar(select(Flag).order_by(Flag.id.desc()).limit(1))
        assert flag.disturbing and flag.task_title == "Rate violent video clips, batch 7"
    screenshot(page, "journey-4-content-warning-opened", full_page=False)
    reader.close()


def test_journey_5_a_moderator_hides_a_post_the_log_shows_it_and_the_author_appeals(site, sessions):
    with site.db():
        moderators = select(User.id).where(User.username.in_(["demo", "demo_moderator"]))
        post = db.session.scalar(
            select(Post)
            .join(Thread)
            .where(
                Post.visibility == "visible",
                Post.number > 1,
                Thread.locked.is_(False),
                Post.author_id.not_in(moderators),
            )
            .order_by(Post.id)
            .limit(1)
        )
        post_id, author = post.id, post.author.username

    reporter = sessions.new("demo")
    page = reporter.new_page()
    page.goto(f"{site.url}/report/post/{post_id}")
    page.check("input[name=reason][value=harassment]")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my report").click()
    reporter.close()

    moderator = sessions.new("demo_moderator")
    page = moderator.new_page()
    page.goto(f"{site.url}/moderation")
    entry = page.locator(".queue-entry").filter(
        has=page.locator(f"a[href='/moderation/items/post/{post_id}']")
    )
    assert entry.count() == 1
    entry.locator(f"a[href='/moderation/items/post/{post_id}']").click()
    page.locator("#reason").fill("Insults another member by name: rule 4, facts over insults.")
    with page.expect_navigation():
        page.get_by_role("button", name="Hide", exact=True).click()
    page.goto(f"{site.url}/moderation/log")
    row = page.locator("table.log tbody tr").first
    assert "Insults another member by name" in row.inner_text()
    assert "demo_moderator" in row.inner_text()
    screenshot(page, "journey-5a-moderation-log", full_page=False)
    moderator.close()

    author_context = sessions.new()
    page = author_context.new_page()
    log_in(page, site.url, author)
    page.goto(f"{site.url}/me/moderation")
    page.get_by_role("link", name="Appeal").first.click()
    page.locator("#statement").fill(
        "I quoted the other member's words to answer them; I insulted nobody."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Send my appeal").click()
    assert "/appeals/" in page.url, page.url
    with site.db():
        hide = db.session.scalar(
            select(ModerationAction)
            .where(
                ModerationAction.target_id == post_id, ModerationAction.action == ActionKind.HIDE
            )
            .limit(1)
        )
        appeal = db.session.scalar(select(Appeal).where(Appeal.action_id == hide.id))
        assert appeal is not None and "insulted nobody" in appeal.statement
    screenshot(page, "journey-5b-author-appeals", full_page=False)
    author_context.close()


def test_journey_6_a_forum_thread_is_searched_for_and_found_with_a_highlighted_excerpt(
    site, sessions
):
    title = "Comment calculer sa rémunération horaire réelle ?"  # a thread of the demo forum
    with site.db():
        threads = set(db.session.scalars(select(Thread.id).where(Thread.title == title)))
    assert threads
    context = sessions.new()
    page = context.new_page()
    page.goto(site.url)
    search = page.get_by_role("searchbox", name="Search")
    search.fill("remuneration horaire reelle")  # typed without the accents
    with page.expect_navigation():
        search.press("Enter")
    found = (
        page.locator(".result")
        .filter(has=page.locator("h2 a[href^='/threads/']"))
        .filter(has_text=title)
    )
    assert found.count() >= 1
    link = found.first.locator("h2 a").get_attribute("href")
    assert int(link.split("/")[2].split("#")[0].split("?")[0]) in threads
    marks = [text.casefold() for text in found.first.locator("mark").all_inner_texts()]
    assert {"rémunération", "horaire", "réelle"} & set(marks), marks
    found.first.scroll_into_view_if_needed()
    screenshot(page, "journey-6-search-highlighted", full_page=False)
    context.close()
