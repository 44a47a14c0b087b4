// Small progressive enhancements; every page works without them. No inline handlers: the CSP forbids them.
(function () {
  "use strict";
  // Forms carrying data-confirm ask before submitting (deleting, disabling, resetting).
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) e.preventDefault();
  }, true);

  document.addEventListener("DOMContentLoaded", function () {
    // The flash notice gets a close button.
    var flash = document.querySelector(".flash");
    if (flash) {
      var x = flash.querySelector(".dismiss");
      x.hidden = false;
      x.addEventListener("click", function () { flash.remove(); });
      // Drop ?flash= from the address so a reload does not repeat the notice.
      if (window.history.replaceState && /[?&]flash=/.test(location.search)) {
        var q = location.search.replace(/([?&])flash=[^&]*&?/, "$1").replace(/[?&]$/, "");
        history.replaceState(null, "", location.pathname + q + location.hash);
      }
    }
    // "Back" on the error page, only when there is somewhere to go back to.
    var back = document.querySelector(".js-back");
    if (back && history.length > 1) {
      back.hidden = false;
      back.addEventListener("click", function () { history.back(); });
    }
  });
})();
