// The projected sign-in code: fetch the current code every few seconds so a used or
// expired code is replaced without the trainer touching anything.
(function () {
  "use strict";
  var screen = document.getElementById("code-screen");
  if (!screen || !window.fetch) return;
  var url = screen.getAttribute("data-code-url");
  function refresh() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (c) {
        if (!c) return;
        var code = document.getElementById("code");
        if (code && c.code) code.textContent = c.code;
        var n = document.getElementById("code-attended");
        if (n) n.textContent = c.attended;
        if (!c.open && code) location.reload();
      })
      .catch(function () {});
  }
  setInterval(refresh, 3000);
})();
