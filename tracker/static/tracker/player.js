// The guided player: walks through a routine step by step, counting down each hold and
// each side, then fills in the log form. Without this script the page still lists the
// steps and shows the form; the server decides nothing from the script but what is posted.
(function () {
  "use strict";

  var TICK_MS = 100;
  var MAX_SPEED = 100;
  var MAX_MINUTES = 240;
  var SIDE_NAMES = { left: "left side", right: "right side" };
  // A short high tone for each of the last three seconds of a hold; a lower, longer one to switch sides.
  var TONES = { count: { hz: 880, seconds: 0.12 }, "switch": { hz: 523, seconds: 0.35 } };
  var COUNTED_SECONDS = 3;
  var SETTINGS_KEY = "backcare.player.settings";
  var DEFAULT_SETTINGS = { tones: true, speech: false, wakeLock: true };
  var AudioContextClass = window.AudioContext || window.webkitAudioContext;
  // What this browser can do, for each setting; where it cannot, the setting says so.
  var SUPPORTED = {
    tones: !!AudioContextClass,
    speech: !!(window.speechSynthesis && window.SpeechSynthesisUtterance),
    wakeLock: !!(navigator.wakeLock && navigator.wakeLock.request),
  };

  function $(id) { return document.getElementById(id); }

  // ?speed=N runs the clock N times faster, so a browser test need not wait out every hold.
  function speedFromUrl() {
    var value = parseFloat(new URLSearchParams(window.location.search).get("speed"));
    if (!isFinite(value) || value < 1) return 1;
    return Math.min(value, MAX_SPEED);
  }

  // The three settings are remembered in this browser; a browser that keeps nothing gets the defaults.
  function loadSettings() {
    var saved = {};
    try {
      saved = JSON.parse(window.localStorage.getItem(SETTINGS_KEY) || "{}") || {};
    } catch (error) {
      saved = {};
    }
    var settings = {};
    Object.keys(DEFAULT_SETTINGS).forEach(function (key) {
      settings[key] = typeof saved[key] === "boolean" ? saved[key] : DEFAULT_SETTINGS[key];
    });
    return settings;
  }

  function saveSettings(settings) {
    try {
      window.localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
    } catch (error) {
      // Private browsing may refuse storage: the settings then last for this page only.
    }
  }

  function formatSeconds(seconds) {
    var whole = Math.max(0, Math.ceil(seconds));
    var minutes = Math.floor(whole / 60);
    var rest = whole % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  // Each side in the order the instructions work them: the side they start with comes first.
  function sidesOf(step) {
    if (step.sides === "both") return step.first_side === "left" ? ["left", "right"] : ["right", "left"];
    if (step.sides === "left" || step.sides === "right") return [step.sides];
    return [null];
  }

  function describeDose(step) {
    var parts = [];
    if (step.hold_seconds) {
      parts.push("hold " + step.hold_seconds + " s");
      if (step.repetitions > 1) parts.push(step.repetitions + " times");
    } else {
      parts.push(step.repetitions + " repetitions");
    }
    if (step.sides === "both") parts.push("each side");
    else if (SIDE_NAMES[step.sides]) parts.push(SIDE_NAMES[step.sides]);
    return parts.join(", ");
  }

  // One step becomes a list of timed phases: get ready, then each side's holds with a
  // short rest between repetitions, and a pause to switch sides.
  function phasesOf(step, timing) {
    var phases = [];
    var sides = sidesOf(step);
    var reps = Math.max(1, step.repetitions || 1);
    sides.forEach(function (side, sideIndex) {
      var where = side ? " — " + SIDE_NAMES[side] : "";
      if (sideIndex === 0) {
        phases.push({ kind: "setup", seconds: timing.setup_seconds, label: "Get into position" + where });
      } else {
        phases.push({ kind: "switch", seconds: timing.switch_seconds, label: "Switch to the " + SIDE_NAMES[side] });
      }
      if (!step.hold_seconds) {
        phases.push({
          kind: "reps",
          seconds: reps * timing.seconds_per_rep,
          label: "Do " + reps + " repetition" + (reps > 1 ? "s" : "") + where + ", then press Next",
        });
        return;
      }
      for (var rep = 1; rep <= reps; rep++) {
        var count = reps > 1 ? ", " + rep + " of " + reps : "";
        phases.push({ kind: "hold", seconds: step.hold_seconds, label: "Hold" + where + count });
        if (rep < reps) {
          phases.push({ kind: "rest", seconds: timing.rest_seconds, label: "Release and breathe" + where });
        }
      }
    });
    return phases;
  }

  function Player(root, data) {
    this.root = root;
    this.steps = data.steps;
    this.timing = data.timing;
    this.speed = speedFromUrl();
    this.form = $("player-form");
    this.completed = this.steps.map(function () { return false; });
    this.elapsedMs = 0;
    this.paused = false;
    this.timer = null;
    this.wakeLock = null;
    this.settings = loadSettings();
    this.audio = null;
  }

  Player.prototype.show = function (state) {
    this.root.dataset.state = state;
    $("screen-before").hidden = state !== "before";
    $("screen-steps").hidden = state !== "steps";
    $("screen-after").hidden = state !== "after";
    $("steps-list").hidden = true;
    $("player-settings").hidden = state === "after";
  };

  Player.prototype.setup = function () {
    var self = this;
    this.root.classList.add("js");
    this.root.querySelectorAll(".player-only").forEach(function (el) { el.hidden = false; });
    this.show("before");
    this.root.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-action]");
      if (!button) return;
      var action = button.dataset.action;
      if (action === "start") self.start();
      else if (action === "pause") self.togglePause();
      else if (action === "next") self.nextPhase();
      else if (action === "skip") self.skipStep();
      else if (action === "back") self.back();
      else if (action === "finish") self.finish();
    });
    this.setupSettings();
    document.addEventListener("visibilitychange", function () {
      // The browser lets go of the lock when the page is hidden; take it again on return.
      if (document.visibilityState === "visible") self.updateWakeLock();
    });
  };

  Player.prototype.setupSettings = function () {
    var self = this;
    Object.keys(DEFAULT_SETTINGS).forEach(function (key) {
      var box = $("setting-" + key);
      box.checked = SUPPORTED[key] && self.settings[key];
      box.disabled = !SUPPORTED[key];
      $("setting-" + key + "-missing").hidden = SUPPORTED[key];
      box.addEventListener("change", function () {
        self.settings[key] = box.checked;
        saveSettings(self.settings);
        if (key === "wakeLock") self.updateWakeLock();
        if (key === "tones" && box.checked) self.unlockAudio();
        if (key === "speech" && !box.checked) window.speechSynthesis.cancel();
      });
    });
  };

  Player.prototype.running = function () {
    return this.timer !== null && !this.paused;
  };

  // Browsers let a page make sound only after a tap: the Start button (or the setting) is one.
  Player.prototype.unlockAudio = function () {
    if (!SUPPORTED.tones || !this.settings.tones) return;
    if (!this.audio) this.audio = new AudioContextClass();
    if (this.audio.state === "suspended") this.audio.resume().catch(function () {});
  };

  Player.prototype.tone = function (name) {
    if (!this.audio || !this.settings.tones) return;
    var tone = TONES[name];
    var now = this.audio.currentTime;
    var oscillator = this.audio.createOscillator();
    var gain = this.audio.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = tone.hz;
    // A soft start and end, so the tone does not click.
    gain.gain.setValueAtTime(0.0001, now);
    gain.gain.exponentialRampToValueAtTime(0.3, now + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + tone.seconds);
    oscillator.connect(gain).connect(this.audio.destination);
    oscillator.start(now);
    oscillator.stop(now + tone.seconds + 0.02);
  };

  Player.prototype.say = function (text) {
    if (!SUPPORTED.speech || !this.settings.speech) return;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  };

  Player.prototype.start = function () {
    var self = this;
    this.show("steps");
    this.unlockAudio();
    this.last = performance.now();
    this.timer = window.setInterval(function () { self.tick(); }, TICK_MS);
    this.updateWakeLock();
    this.goToStep(0);
    // The Start button is gone: keyboard and screen reader users carry on from the step's name.
    $("step-name").focus();
  };

  // Keep a phone's screen on while the routine runs (not paused, setting on); let it go otherwise.
  Player.prototype.updateWakeLock = function () {
    var self = this;
    var wanted = SUPPORTED.wakeLock && this.settings.wakeLock && this.running();
    if (!wanted) {
      this.releaseWakeLock();
      return;
    }
    if (this.wakeLock || this.wakeLockPending || document.visibilityState !== "visible") return;
    this.wakeLockPending = true;
    navigator.wakeLock.request("screen").then(
      function (lock) {
        self.wakeLockPending = false;
        self.wakeLock = lock;
        lock.addEventListener("release", function () {
          if (self.wakeLock === lock) self.wakeLock = null;
        });
        // Paused or finished while the request was on its way.
        if (!self.running() || !self.settings.wakeLock) self.releaseWakeLock();
      },
      function () { self.wakeLockPending = false; }
    );
  };

  Player.prototype.releaseWakeLock = function () {
    var lock = this.wakeLock;
    this.wakeLock = null;
    if (lock) lock.release().catch(function () {});
  };

  Player.prototype.tick = function () {
    var now = performance.now();
    var delta = (now - this.last) * this.speed;
    this.last = now;
    // Time left over when a phase ends runs on into the next one, so that the total
    // does not depend on how often the timer fires (nor on the speed).
    while (delta > 0 && this.phase && !this.paused) {
      var spent = Math.min(delta, this.remainingMs);
      var before = this.remainingMs;
      this.elapsedMs += spent;
      this.remainingMs -= spent;
      delta -= spent;
      if (this.phase.kind === "hold") this.countDown(before, this.remainingMs);
      if (this.remainingMs <= 0) this.nextPhase();
    }
    if (this.phase) this.renderCountdown();
  };

  // One tone as each of the last seconds of a hold begins: at 3, 2 and 1 seconds left.
  Player.prototype.countDown = function (beforeMs, afterMs) {
    for (var second = COUNTED_SECONDS; second >= 1; second--) {
      if (beforeMs > second * 1000 && afterMs <= second * 1000) this.tone("count");
    }
  };

  Player.prototype.goToStep = function (index) {
    if (index >= this.steps.length) {
      this.finish();
      return;
    }
    this.stepIndex = Math.max(0, index);
    this.completed[this.stepIndex] = false;
    this.phases = phasesOf(this.steps[this.stepIndex], this.timing);
    this.renderStep();
    this.say(this.steps[this.stepIndex].name);
    this.startPhase(0);
  };

  Player.prototype.startPhase = function (index) {
    this.phaseIndex = index;
    this.phase = this.phases[index];
    this.remainingMs = this.phase.seconds * 1000;
    this.announce();
    this.renderCountdown();
    this.root.dataset.phase = this.phase.kind;
    if (this.phase.kind === "switch") this.tone("switch");
    if (index > 0 && navigator.vibrate) navigator.vibrate(80);
  };

  Player.prototype.nextPhase = function () {
    if (!this.phase) return;
    if (this.phaseIndex + 1 < this.phases.length) {
      this.startPhase(this.phaseIndex + 1);
      return;
    }
    this.completed[this.stepIndex] = true;
    this.goToStep(this.stepIndex + 1);
  };

  Player.prototype.skipStep = function () {
    this.completed[this.stepIndex] = false;
    this.goToStep(this.stepIndex + 1);
  };

  // Back restarts the current step; at its very start, it returns to the step before.
  Player.prototype.back = function () {
    var elapsedInStep = this.phaseIndex > 0 || this.remainingMs < this.phase.seconds * 1000 - 1500;
    this.goToStep(elapsedInStep ? this.stepIndex : this.stepIndex - 1);
  };

  Player.prototype.togglePause = function () {
    this.paused = !this.paused;
    var button = this.root.querySelector("button[data-action=pause]");
    button.textContent = this.paused ? "Resume" : "Pause";
    button.setAttribute("aria-pressed", this.paused ? "true" : "false");
    this.root.classList.toggle("paused", this.paused);
    this.updateWakeLock();
    this.announce();
  };

  Player.prototype.announce = function () {
    var text = this.paused ? "Paused — " + this.phase.label : this.phase.label;
    $("phase").textContent = text;
  };

  Player.prototype.renderStep = function () {
    var step = this.steps[this.stepIndex];
    $("step-progress").textContent = "Step " + (this.stepIndex + 1) + " of " + this.steps.length + " · " + step.kind;
    $("meter").max = this.steps.length;
    $("meter").value = this.stepIndex;
    $("step-name").textContent = step.name;
    $("step-dose").textContent = describeDose(step);
    var list = $("step-instructions");
    list.textContent = "";
    step.instructions.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
    $("step-note").textContent = step.note || "";
    $("step-note").hidden = !step.note;
    $("step-caution").textContent = "Caution: " + step.caution;
    $("step-caution").hidden = !step.caution;
    // The figure moves between the start and end positions; with reduced motion asked for,
    // the <source> picks the still one, start and end side by side.
    $("step-picture").hidden = !step.figure;
    if (step.figure) {
      $("step-figure-still").srcset = step.figure;
      $("step-figure").src = step.motion_figure;
      $("step-figure").alt = "How to do " + step.name + ": the start and end positions.";
    }
  };

  Player.prototype.renderCountdown = function () {
    $("countdown").textContent = formatSeconds(this.remainingMs / 1000);
  };

  Player.prototype.finish = function () {
    if (this.timer !== null) window.clearInterval(this.timer);
    this.timer = null;
    this.phase = null;
    this.releaseWakeLock();
    if (SUPPORTED.speech) window.speechSynthesis.cancel();
    var done = this.completed.filter(Boolean).length;
    var minutes = Math.min(MAX_MINUTES, Math.max(1, Math.ceil(this.elapsedMs / 60000)));
    this.form.elements.duration_minutes.value = minutes;
    this.form.elements.steps_completed.value = done;
    $("after-summary").textContent =
      "You did " + done + " of " + this.steps.length + " steps in about " + minutes + " minute" + (minutes > 1 ? "s" : "") + ".";
    this.show("after");
    $("after-heading").focus();
  };

  document.addEventListener("DOMContentLoaded", function () {
    var root = $("player");
    var source = $("routine-data");
    if (!root || !source) return;
    new Player(root, JSON.parse(source.textContent)).setup();
  });
})();
