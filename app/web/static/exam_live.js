// The invigilator's live view: poll the session's progress and update the rows in place,
// so a reason being typed into an extension form is not lost.
(function () {
  'use strict';
  var table = document.getElementById('live-table');
  if (!table) { return; }
  var url = '/api/v1/sessions/' + table.dataset.session + '/live';
  function update(rows) {
    rows.forEach(function (r) {
      var tr = table.querySelector('tr[data-key="' + r.user_id + '-' + r.part_id + '"]');
      if (!tr) { return; }
      var wasOpen = tr.querySelector('.st').textContent === '作答中';
      tr.querySelector('.st').textContent = r.state;
      tr.querySelector('.pg').textContent = r.answered + '/' + r.total;
      tr.querySelector('.left').textContent = r.attempt_id ? r.seconds_left + ' 秒' : '';
      tr.querySelector('.warns').textContent = r.warnings ? r.warnings + ' 次：' + (r.recent || []).join('；') : '';
      if ((r.state === '作答中') !== wasOpen) { tr.classList.add('changed'); }
    });
  }
  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (out) {
        if (!out) { return; }
        if (table.querySelectorAll('tr[data-key]').length !== out.rows.length || table.querySelector('tr.changed')) {
          window.location.reload();
          return;
        }
        update(out.rows);
      }).catch(function () {});
  }
  setInterval(poll, 10000);
})();
