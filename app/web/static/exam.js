// The exam page: autosave each answer as it changes, in order (a per-attempt increasing
// seq), keep unsent answers in localStorage and retry them, count down from the server's
// clock, record leaving the page and pasting. Without this script every question still
// saves through its own form.
(function () {
  'use strict';
  var paper = document.getElementById('paper');
  if (!paper) { return; }
  var id = paper.dataset.attempt, csrf = paper.dataset.csrf;
  var key = 'exam:' + id + ':';
  var stateEl = document.getElementById('save-state');
  var clockEl = document.getElementById('clock');
  var seq = Math.max(Number(paper.dataset.seq) || 0, Number(localStorage.getItem(key + 'seq')) || 0);
  var pending = load();
  var deadline = Date.now() + Number(paper.dataset.seconds) * 1000;
  var sending = false, retryMs = 0, over = false, lastEvent = 0;

  function load() {
    try { return JSON.parse(localStorage.getItem(key + 'pending')) || {}; } catch (e) { return {}; }
  }
  function keep() {
    localStorage.setItem(key + 'pending', JSON.stringify(pending));
    localStorage.setItem(key + 'seq', String(seq));
  }
  function show(text, cls) { stateEl.textContent = text; stateEl.className = 'save-state ' + (cls || ''); }
  function forms() { return paper.querySelectorAll('form.question'); }

  function responseOf(f) {
    var r = {}, choice = '', blanks = [];
    f.querySelectorAll('input[name=choice]:checked').forEach(function (i) { choice += i.value; });
    if (choice) { r.choice = choice; }
    var j = f.querySelector('input[name=judge]:checked');
    if (j) { r.judge = j.value === 'true'; }
    f.querySelectorAll('input[name=blank]').forEach(function (i) { blanks.push(i.value); });
    if (blanks.some(function (b) { return b !== ''; })) { r.blanks = blanks; }
    var t = f.querySelector('textarea[name=text]');
    if (t && t.value) { r.text = t.value; }
    return r;
  }
  function fill(f, p) {
    var r = p.response || {};
    f.querySelectorAll('input[name=choice]').forEach(function (i) { i.checked = (r.choice || '').indexOf(i.value) >= 0; });
    f.querySelectorAll('input[name=judge]').forEach(function (i) { i.checked = r.judge !== undefined && String(r.judge) === i.value; });
    f.querySelectorAll('input[name=blank]').forEach(function (i, n) { i.value = (r.blanks || [])[n] || ''; });
    var t = f.querySelector('textarea[name=text]');
    if (t) { t.value = r.text || ''; }
    f.querySelector('input[name=flagged]').checked = !!p.flagged;
  }
  function answered(f) { var r = responseOf(f); return Object.keys(r).length > 0; }
  function count() {
    var n = 0;
    forms().forEach(function (f) { if (answered(f)) { n++; } f.classList.toggle('flagged', f.querySelector('input[name=flagged]').checked); });
    document.getElementById('answered').textContent = n;
  }

  function queue(f) {
    if (over) { return; }
    seq += 1;
    var idx = Number(f.dataset.idx);
    pending[idx] = { idx: idx, response: responseOf(f), flagged: f.querySelector('input[name=flagged]').checked, seq: seq };
    keep();
    count();
    send();
  }

  function send() {
    var keys = Object.keys(pending);
    if (sending || keys.length === 0) { if (!sending && !over) { show('已保存', 'ok'); } return; }
    sending = true;
    show('保存中…', '');
    var body = pending[keys[0]];
    fetch('/api/v1/attempts/' + id + '/answers', {
      method: 'PUT', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(body)
    }).then(function (res) {
      if (res.status === 409) { closed(); return null; }
      if (!res.ok) { throw new Error('status ' + res.status); }
      return res.json();
    }).then(function (out) {
      sending = false;
      if (!out) { return; }
      var p = pending[out.idx];
      if (p && p.seq <= out.seq) { delete pending[out.idx]; keep(); }
      deadline = Date.now() + out.seconds_left * 1000;
      retryMs = 0;
      send();
    }).catch(function () {
      sending = false;
      retryMs = Math.min(retryMs ? retryMs * 2 : 2000, 15000);
      show('保存失败，正在重试', 'err');
      setTimeout(send, retryMs);
    });
  }

  function closed() {
    over = true; sending = false;
    pending = {}; keep();
    show('考试已结束', 'err');
    setTimeout(function () { window.location.reload(); }, 1500);
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    clockEl.textContent = m + ' 分 ' + (s < 10 ? '0' : '') + s + ' 秒';
    clockEl.classList.toggle('late', left <= 300);
    if (left === 0 && !over) {
      over = true;
      paper.querySelectorAll('input, textarea, button').forEach(function (el) { el.disabled = true; });
      show('时间到，正在收卷', 'err');
      send();
      setTimeout(function () { window.location.reload(); }, 25000);
    }
  }

  function event(kind) {
    var now = Date.now();
    if (over || now - lastEvent < 5000) { return; }
    lastEvent = now;
    fetch('/api/v1/attempts/' + id + '/events', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ kind: kind })
    }).catch(function () {});
  }

  function move(step) {
    var list = Array.prototype.slice.call(forms());
    var cur = list.findIndex(function (f) { return f.contains(document.activeElement); });
    var next = list[Math.min(list.length - 1, Math.max(0, cur + step))];
    if (next) { next.scrollIntoView(); var el = next.querySelector('input:not([type=hidden]), textarea'); if (el) { el.focus(); } }
  }

  forms().forEach(function (f) {
    var p = pending[f.dataset.idx];
    if (p) { fill(f, p); }
    var timer = null;
    f.addEventListener('change', function () { queue(f); });
    f.addEventListener('input', function (e) {
      if (e.target.type === 'radio' || e.target.type === 'checkbox') { return; }
      clearTimeout(timer);
      timer = setTimeout(function () { queue(f); }, 700);
    });
    f.addEventListener('paste', function () { event('paste'); });
    f.addEventListener('submit', function (e) { e.preventDefault(); queue(f); });
  });
  document.addEventListener('keydown', function (e) {
    if (e.altKey && (e.key === 'n' || e.key === 'N')) { e.preventDefault(); move(1); }
    if (e.altKey && (e.key === 'p' || e.key === 'P')) { e.preventDefault(); move(-1); }
  });
  document.addEventListener('visibilitychange', function () { if (document.hidden) { event('blur'); } });
  window.addEventListener('blur', function () { event('blur'); });
  window.addEventListener('beforeunload', function (e) {
    if (!over && (Object.keys(pending).length > 0 || sending)) { e.preventDefault(); e.returnValue = ''; }
  });
  window.addEventListener('online', send);
  document.getElementById('to-submit').addEventListener('click', function (e) {
    if (Object.keys(pending).length === 0 && !sending) { return; }
    e.preventDefault();
    send();
    var href = this.href;
    var wait = setInterval(function () {
      if (Object.keys(pending).length === 0 && !sending) { clearInterval(wait); window.location.href = href; }
    }, 300);
  });
  count();
  tick();
  setInterval(tick, 1000);
  send();
})();
