// Live updates: when a draft is published, reload the current-draft panel in place.
(function () {
  var live = document.body.getAttribute("data-live");
  if (!live || !window.EventSource) return;
  var shown = document.body.getAttribute("data-draft") || "0";
  var source = new EventSource(live + "/events?since=" + encodeURIComponent(shown));
  source.addEventListener("draft", function (event) {
    fetch(live + "/current", {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var panel = document.getElementById("current-draft");
        if (panel) panel.innerHTML = html;
        document.body.setAttribute("data-draft", event.data);
      });
  });
})();

// A point's wording belongs to its option: choosing another option in the publish form
// clears the wording written for the old one (and brings it back with that option).
(function () {
  var selects = document.querySelectorAll("select[data-wording]");
  Array.prototype.forEach.call(selects, function (select) {
    select.addEventListener("change", function () {
      var text = document.getElementById(select.getAttribute("data-wording"));
      if (!text) return;
      var same = select.value === text.getAttribute("data-option");
      if (!same && text.value === text.getAttribute("data-text")) text.value = "";
      else if (same && !text.value) text.value = text.getAttribute("data-text");
    });
  });
})();

// Times are written in UTC by the server; the browser shows them in the reader's time zone.
(function () {
  function localise(root) {
    // Each element once (marked data-local), so the observer's own changes end here.
    Array.prototype.forEach.call(root.querySelectorAll("time[datetime]:not([data-local])"),
      function (t) {
        t.setAttribute("data-local", "");
        var when = new Date(t.getAttribute("datetime"));
        if (isNaN(when.getTime())) return;
        t.title = t.textContent;
        t.textContent = when.toLocaleString(undefined, {dateStyle: "medium", timeStyle: "short"});
      });
  }
  localise(document);
  new MutationObserver(function () { localise(document); })
    .observe(document.body, {childList: true, subtree: true});
})();

// The mediator's roster: each seat's invitation status (open, joined, revoked) follows the
// room without a reload, read from api/state every 10 seconds while the page is shown.
(function () {
  var room = document.body.getAttribute("data-roster");
  if (!room || !window.fetch) return;
  function status(m) {
    return m.revoked ? "revoked" : m.joined ? "joined" : m.invitation_open ? "open" : "—";
  }
  function refresh() {
    if (document.hidden) return;
    fetch(room + "/api/state", {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (state) {
        (state.roster || []).forEach(function (m) {
          var cell = document.querySelector('td.invitation[data-member="' + Number(m.id) + '"]');
          if (cell && cell.textContent !== status(m)) cell.textContent = status(m);
        });
      })
      .catch(function () {});
  }
  setInterval(refresh, 10000);
})();
