// 数据导出: polls the background export jobs still queued or running and moves their
// progress bars until each is done (then shows its download link) or failed.
(function () {
  "use strict";
  var rows = document.querySelectorAll("tr[data-job]");
  function label(j) {
    if (j.status === "done") return "已完成";
    if (j.status === "failed") return "失败：" + (j.error || "");
    if (j.status === "running") return "生成中 " + j.done_rows + "/" + j.total_rows;
    return "排队中";
  }
  function poll(row) {
    var st = row.getAttribute("data-status");
    if (st === "done" || st === "failed") return;
    fetch("/api/v1/exports/jobs/" + row.getAttribute("data-job"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) {
        if (!j) return;
        row.setAttribute("data-status", j.status);
        var bar = row.querySelector("progress");
        if (bar) { bar.value = j.percent; bar.textContent = j.percent + "%"; }
        var s = row.querySelector(".job-state");
        if (s) s.textContent = label(j);
        var a = row.querySelector(".job-file");
        if (a && j.status === "done") a.hidden = false;
        if (j.status !== "done" && j.status !== "failed") setTimeout(function () { poll(row); }, 1500);
      })
      .catch(function () { setTimeout(function () { poll(row); }, 5000); });
  }
  for (var i = 0; i < rows.length; i++) poll(rows[i]);
})();
