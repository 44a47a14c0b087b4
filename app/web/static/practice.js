// Practice keyboard: A–H or 1–8 pick an option, Enter submits (Ctrl+Enter in a text box),
// Enter or N on the feedback page goes to the next question; a level select submits its
// form on change. Every page works without this file.
(function () {
  "use strict";
  function typing(el) {
    return el && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && /^(text|search|number|)$/.test(el.type)) || el.tagName === "SELECT");
  }
  function pick(form, key) {
    var sel = key >= "1" && key <= "8" ? "[data-num=\"" + key + "\"]" : "[data-key=\"" + key.toUpperCase() + "\"]";
    var input = form.querySelector("input" + sel);
    if (!input) return false;
    input.checked = input.type === "checkbox" ? !input.checked : true;
    input.focus();
    return true;
  }
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.metaKey || e.isComposing) return;
    var form = document.querySelector("form[data-practice]");
    var next = document.querySelector("[data-next]");
    if (form) {
      if (e.key === "Enter" && (e.ctrlKey || !typing(e.target) || e.target.tagName === "INPUT")) {
        if (e.target.tagName !== "TEXTAREA" || e.ctrlKey) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.submit(); }
        return;
      }
      if (!e.ctrlKey && e.key.length === 1 && /[a-hA-H1-8]/.test(e.key) && !typing(e.target) && pick(form, e.key)) e.preventDefault();
      return;
    }
    if (next && !e.ctrlKey && !typing(e.target) && (e.key === "n" || e.key === "N" || (e.key === "Enter" && e.target.tagName !== "BUTTON" && e.target.tagName !== "A"))) {
      e.preventDefault();
      location.href = next.getAttribute("href");
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var sels = document.querySelectorAll("select[data-autosubmit]");
    for (var i = 0; i < sels.length; i++) {
      sels[i].addEventListener("change", function (e) { e.target.form.submit(); });
    }
  });
})();
