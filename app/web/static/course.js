// Lesson editor: a live preview rendered and sanitised by the server (POST
// /api/v1/courses/preview), so what the author sees is exactly what learners get. The
// editor works without this file: the preview then refreshes on save.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var body = document.querySelector("textarea[data-preview]");
    if (!body) return;
    var out = document.querySelector(body.getAttribute("data-preview"));
    var csrf = body.form.querySelector("input[name=_csrf]").value;
    var timer = null, seq = 0;
    function refresh() {
      var mine = ++seq;
      fetch("/api/v1/courses/preview", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept": "application/json" },
        body: JSON.stringify({ body: body.value })
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (j) {
        if (j && mine === seq) out.innerHTML = j.html; // sanitised by the server
      }).catch(function () {});
    }
    body.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
  });
})();
