"""Journey: a newcomer who uses only a keyboard signs up, takes the self-check, answers the health
screen, runs the guided player and logs the session — Tab, Shift+Tab, Enter, Space, the arrow keys
and typing, never a click nor a fill. On every page the first Tab reaches a visible "Skip to
content" link that lands in the main content, and wherever focus goes it can be seen."""

import re

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from tracker.models import Session

from .browser import Tab

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROUTINE = "posterior-chain-release"

# What has focus, by its accessible name, and whether its focus indicator shows: an outline of
# at least 2 px, a box shadow or the body map's ring, and the element inside the viewport.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { name: "", tag: "body", shown: true };
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow !== "none";
  // A region of the body map draws its focus as a 3 px ring on its ellipse (routines/figures.css).
  const ring = el instanceof SVGElement && Array.from(el.querySelectorAll("ellipse")).some((shape) => {
    const drawn = getComputedStyle(shape);
    return drawn.stroke !== "none" && parseFloat(drawn.strokeWidth) >= 3;
  });
  const box = el.getBoundingClientRect();
  const inView = box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth;
  const label = el.labels && el.labels.length ? el.labels[0].textContent : "";
  const name = (el.getAttribute("aria-label") || label || el.textContent || el.value || "")
    .replace(/\\s+/g, " ").trim();
  return { name, tag: el.tagName.toLowerCase(), type: el.type || "", inMain: !!el.closest("main"),
           shown: (outline || shadow || ring) && inView, checked: !!el.checked };
}"""

# The first element of the page that Tab can reach, in document order.
FIRST_FOCUSABLE = """() => {
  const all = document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, [tabindex]");
  const first = Array.from(all).find((el) => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length);
  return { text: first.textContent.trim(), href: first.getAttribute("href") };
}"""


class Keyboard:
    """The person's hands: every move is a key, and each one checks that focus can be seen."""

    def __init__(self, tab: Tab):
        self.tab = tab
        self.page = tab.page

    def focused(self) -> dict:
        return self.page.evaluate(FOCUSED)

    def press(self, key: str) -> dict:
        self.page.keyboard.press(key)
        now = self.focused()
        assert now["shown"], f"after {key}, focus is not visible on {now}"
        return now

    def follow(self):
        """Enter on a link or a form's button: the page goes, so there is no focus to look at until the next."""
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def tab_to(self, name: str, *, back: bool = False, limit: int = 60) -> dict:
        """Tab (or Shift+Tab) until the focused element's name starts with ``name``."""
        for _ in range(limit):
            now = self.press("Shift+Tab" if back else "Tab")
            if now["name"].startswith(name):
                return now
        raise AssertionError(f"{limit} presses of Tab never reached {name!r}")

    def type(self, text: str):
        self.page.keyboard.type(text)

    def choose_radio(self, name: str, *, limit: int = 12):
        """In a radio group that has focus, arrow down until ``name`` is chosen (arrows choose as they move)."""
        now = self.focused()
        for _ in range(limit):
            if now["name"] == name or now["name"].startswith(name + " "):
                if not now["checked"]:  # Tab only focuses the group's first radio; Space chooses it
                    now = self.press("Space")
                assert now["checked"]
                return
            now = self.press("ArrowDown")
        raise AssertionError(f"no radio {name!r} in the group")

    def arrived(self, path: str, name: str):
        """On a new page: picture it, then the first Tab must reach the skip link, which leads into main."""
        self.tab.arrived(path, name)
        first_of_page = self.page.evaluate(FIRST_FOCUSABLE)
        assert first_of_page == {"text": "Skip to content", "href": "#main"}, f"{path} starts with {first_of_page}"
        first = self.press("Tab")
        if first["name"] != "Skip to content":
            # The browser starts from where the page put focus (autofocus) or from where it scrolled
            # back to: the skip link is behind, before the menu.
            first = self.tab_to("Skip to content", back=True, limit=40)
        self.press("Enter")
        after = self.press("Tab")
        assert after["inMain"], f"{path}: after the skip link, Tab reached {after} outside main"


def test_a_keyboard_user_signs_up_and_logs_a_guided_session_without_touching_the_mouse(catalog, open_tab):
    tab = open_tab("kim")
    page = tab.page
    keys = Keyboard(tab)

    tab.goto(reverse("home"), "home")  # typed into the address bar
    keys.tab_to("Sign up")
    keys.follow()
    keys.arrived(reverse("signup"), "signup")

    keys.tab_to("Username")
    keys.type("kim")
    keys.press("Tab")
    keys.type("kim@example.com")
    keys.tab_to("Password")
    keys.type(PASSWORD)
    keys.tab_to("Password confirmation")
    keys.type(PASSWORD)
    # Back to the time zone, which the page guessed from the browser: type to pick another one.
    keys.tab_to("Time zone", back=True)
    keys.type("Europe/Paris")
    assert page.evaluate("document.activeElement.value") == "Europe/Paris"
    keys.tab_to("Create my account")
    keys.follow()
    keys.arrived(reverse("tracker:dashboard"), "dashboard-welcome")
    assert "Your time zone is Europe/Paris" in page.locator(".messages").inner_text()

    keys.tab_to("Take the self-check")
    keys.follow()
    keys.arrived(reverse("routines:self-check"), "self-check")
    keys.press("Shift+Tab")  # the skip link led into main; from there, forward into the first question
    now = keys.tab_to("I", limit=40)
    assert now["type"] == "radio"
    keys.choose_radio("I tuck my pelvis under when I walk")
    now = keys.tab_to("Standing or walking for long periods")
    assert now["type"] == "checkbox"
    keys.press("Space")
    assert keys.focused()["checked"]
    keys.tab_to("See my result")
    keys.follow()
    keys.arrived(reverse("routines:self-check"), "self-check-result")

    keys.tab_to("Posterior chain release")
    keys.follow()
    keys.arrived(reverse("routines:routine", args=[ROUTINE]), "routine")
    keys.tab_to("Start the guided routine")
    keys.follow()
    keys.arrived(reverse("health-screen"), "health-screen")
    keys.tab_to("None of these apply to me")
    keys.press("Space")
    keys.tab_to("Save my answers")
    keys.follow()
    keys.arrived(reverse("tracker:player", args=[ROUTINE]), "player-before")

    keys.tab_to("0")  # the pain scale: Tab enters the group, the arrows choose
    keys.choose_radio("6")
    keys.tab_to("Start the routine")
    keys.press("Enter")
    page.wait_for_selector("#player[data-state=steps]")
    assert keys.focused()["name"] == page.locator("#step-name").inner_text()  # focus did not fall to the page
    keys.tab_to("Pause")
    keys.press("Space")
    assert page.locator("button[data-action=pause]").get_attribute("aria-pressed") == "true"
    tab.screenshot("player-paused")
    keys.tab_to("Next", back=False)
    keys.press("Enter")
    keys.tab_to("End the routine now")
    keys.press("Enter")
    page.wait_for_selector("#player[data-state=after]")
    tab.screenshot("player-after")
    assert keys.focused()["name"] == "How do you feel now?"

    keys.tab_to("0")
    keys.choose_radio("3")
    keys.tab_to("Notes")
    keys.type("Done with the keyboard alone.")
    keys.tab_to("Log this session")
    keys.follow()
    keys.arrived(reverse("tracker:dashboard"), "dashboard-after-session")
    assert re.search(r"Pain 6 → 3\.", page.locator(".messages").inner_text())

    session = Session.objects.get(user__username="kim")
    assert (session.routine.slug, session.pain_before, session.pain_after) == (ROUTINE, 6, 3)
    assert session.notes == "Done with the keyboard alone."
    tab.assert_clean()
