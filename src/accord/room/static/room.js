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
