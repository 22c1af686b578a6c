// Draw every figure of the report with the inlined vega-embed (no network needed).
// Each figure's element gets data-rendered="true" once drawn ("error" if it failed), and the
// body data-figures="done" when all have settled: the browser test waits for that.
(function () {
  "use strict";
  var specs = JSON.parse(document.getElementById("accord-figures").textContent);
  var jobs = Object.keys(specs).map(function (id) {
    var element = document.getElementById("fig-" + id);
    return vegaEmbed(element, specs[id], { actions: false, renderer: "svg" })
      .then(function () { element.setAttribute("data-rendered", "true"); })
      .catch(function (error) {
        element.setAttribute("data-rendered", "error");
        element.textContent = "This figure could not be drawn: " + error;
        console.error(error);
      });
  });
  Promise.all(jobs).then(function () { document.body.setAttribute("data-figures", "done"); });
})();
