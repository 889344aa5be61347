"""The guided player can be heard and keeps the screen on: a tone for each of the last three seconds
of a hold and another to switch sides, each step's name spoken when asked for, the screen wake lock
held while the routine runs; the three settings are remembered in the browser, and a browser without
one of these abilities says so next to the setting.

An init script records what the page asks of the browser: every oscillator started (with its pitch and
the player's phase at that moment), every utterance, every wake lock requested and released. The
wake lock is a stand-in (headless Chromium has no screen to keep on); tones go to the real Web Audio.
"""

import json
import time

import pytest
from django.urls import reverse

from routines.models import Exercise, Routine, RoutineStep, Sides
from tests.conftest import make_user

from .browser import VIEWPORTS, Tab
from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# player.js's ?speed= hook: ten times faster, so one tick of its clock (100 ms) is one second of a hold.
SPEED = 10
COUNT_HZ, SWITCH_HZ = 880, 523  # player.js's TONES

RECORDER = """
(() => {
  const calls = (window.__calls = []);
  const record = (kind, extra) => {
    const player = document.getElementById("player");
    calls.push({ kind, phase: player && player.dataset.phase, state: player && player.dataset.state, ...extra });
  };
  const RealAudioContext = window.AudioContext;
  window.AudioContext = class extends RealAudioContext {
    constructor(...args) { super(...args); record("audio-context", {}); }
  };
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    record("tone", { hz: this.frequency.value });
    return start.apply(this, args);
  };
  speechSynthesis.speak = (utterance) => record("speak", { text: utterance.text });
  const locks = (window.__locks = []);
  Object.defineProperty(navigator, "wakeLock", { configurable: true, value: { request(type) {
    record("wake-lock", { type });
    const lock = new EventTarget();
    lock.type = type;
    lock.released = false;
    lock.release = () => {
      if (!lock.released) { lock.released = true; record("release", {}); lock.dispatchEvent(new Event("release")); }
      return Promise.resolve();
    };
    locks.push(lock);
    return Promise.resolve(lock);
  } } });
})();
"""

WITHOUT_THE_APIS = """
delete window.AudioContext;
delete window.webkitAudioContext;
delete window.SpeechSynthesisUtterance;
Object.defineProperty(window, "speechSynthesis", { configurable: true, value: undefined });
Object.defineProperty(navigator, "wakeLock", { configurable: true, value: undefined });
"""


@pytest.fixture
def routine(catalog):
    """Two steps: a five-second hold on each side, then a four-second hold on the left."""
    first, second = [exercise for exercise in Exercise.objects.all() if not exercise.is_advanced][:2]
    routine = Routine.objects.create(slug="two-holds", name="Two holds", summary="For the test.", chain="posterior")
    step = {"routine": routine, "repetitions": 1}
    RoutineStep.objects.create(exercise=first, order=1, hold_seconds=5, sides=Sides.BOTH, **step)
    RoutineStep.objects.create(exercise=second, order=2, hold_seconds=4, sides=Sides.LEFT, **step)
    return routine


@pytest.fixture
def player_tab(routine, django_user_model, new_context, live_server, screenshots):
    make_user(django_user_model, "alice", timezone="Europe/Paris", screened=True)

    def open_one(init_script: str, persona: str) -> Tab:
        context = new_context(viewport=VIEWPORTS["phone"])
        context.add_init_script(init_script)
        tab = Tab(context, base_url=live_server.url, shots=screenshots, persona=persona)
        log_in(tab, "alice")
        tab.goto(f"{reverse('tracker:player', args=[routine.slug])}?speed={SPEED}", "player-before")
        return tab

    return open_one


def wait_until(tab: Tab, expression: str, timeout: float = 10):
    """Poll ``expression`` from here: Playwright's wait_for_function polls with eval, which the CSP forbids."""
    deadline = time.monotonic() + timeout
    while not tab.page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        time.sleep(0.05)


def calls(tab: Tab, kind: str | None = None) -> list[dict]:
    recorded = tab.page.evaluate("window.__calls")
    return [call for call in recorded if kind is None or call["kind"] == kind]


def play_to_the_end(tab: Tab, name: str):
    tab.page.get_by_role("button", name="Start the routine").click()
    tab.page.wait_for_selector("#player[data-state=after]", timeout=30_000)
    tab.screenshot(name)


def settings(tab: Tab) -> dict[str, bool]:
    return {key: tab.page.locator(f"#setting-{key}").is_checked() for key in ("tones", "speech", "wakeLock")}


def test_tones_count_down_each_hold_and_mark_the_switch_and_the_screen_stays_on_while_it_runs(player_tab, routine):
    tab = player_tab(RECORDER, "alice")
    assert settings(tab) == {"tones": True, "speech": False, "wakeLock": True}
    assert tab.page.locator("#player-settings .help:visible").count() == 0  # every ability is there

    play_to_the_end(tab, "player-after")

    tones = [(call["phase"], call["hz"]) for call in calls(tab, "tone")]
    count = [("hold", COUNT_HZ)] * 3
    assert tones == count + [("switch", SWITCH_HZ)] + count + count
    assert calls(tab, "speak") == []  # speech is off unless asked for
    lock_calls = [(call["kind"], call["state"]) for call in calls(tab) if call["kind"] in ("wake-lock", "release")]
    assert lock_calls == [("wake-lock", "steps"), ("release", "steps")]
    kinds = [call["kind"] for call in calls(tab) if call["kind"] != "audio-context"]
    assert kinds.index("wake-lock") < kinds.index("tone") and kinds[-1] == "release"  # held while it ran
    tab.assert_clean()


def test_speech_says_each_step_when_asked_the_lock_follows_pause_and_return_and_settings_are_remembered(
    player_tab, routine
):
    tab = player_tab(RECORDER, "alice")
    page = tab.page
    page.get_by_label("Say each step's name aloud").check()
    page.get_by_label("Tones for the last three seconds").uncheck()
    saved = json.loads(page.evaluate("localStorage.getItem('backcare.player.settings')"))
    assert saved == {"tones": False, "speech": True, "wakeLock": True}
    page.reload()
    tab.screenshot("player-before-reloaded")
    assert settings(tab) == {"tones": False, "speech": True, "wakeLock": True}

    page.get_by_role("button", name="Start the routine").click()
    page.get_by_role("button", name="Pause").click()
    tab.screenshot("player-paused")
    wait_until(tab, "window.__calls.some(call => call.kind === 'release')")
    page.get_by_role("button", name="Resume").click()
    wait_until(tab, "window.__calls.filter(call => call.kind === 'wake-lock').length === 2")
    # The page was hidden: the browser let go of the lock; on return the player takes it again.
    page.evaluate("window.__locks.at(-1).release(); document.dispatchEvent(new Event('visibilitychange'))")
    wait_until(tab, "window.__calls.filter(call => call.kind === 'wake-lock').length === 3")
    page.wait_for_selector("#player[data-state=after]", timeout=30_000)
    tab.screenshot("player-after")

    names = [step.exercise.name for step in routine.steps.all()]
    assert [call["text"] for call in calls(tab, "speak")] == names  # as each step starts
    assert calls(tab, "tone") == []
    locks = [call["kind"] for call in calls(tab) if call["kind"] in ("wake-lock", "release")]
    assert locks == ["wake-lock", "release", "wake-lock", "release", "wake-lock", "release"]
    tab.assert_clean()


def test_a_browser_without_sound_speech_or_wake_lock_says_so_and_the_player_still_runs(player_tab):
    tab = player_tab(WITHOUT_THE_APIS, "alice-without")
    page = tab.page
    for key, note in [
        ("tones", "This browser cannot play tones."),
        ("speech", "This browser cannot speak."),
        ("wakeLock", "This browser cannot keep the screen on"),
    ]:
        assert page.locator(f"#setting-{key}").is_disabled()
        assert not page.locator(f"#setting-{key}").is_checked()
        assert page.locator(f"#setting-{key}-missing").is_visible()
        assert note in page.locator(f"#setting-{key}-missing").inner_text()
    play_to_the_end(tab, "player-after")
    assert page.locator("#after-summary").inner_text().startswith("You did 2 of 2 steps")
    tab.assert_clean()
