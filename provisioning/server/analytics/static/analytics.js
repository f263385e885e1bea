/* The console's analytics charts, drawn with ECharts (served beside this file).
   The page carries its chart data in <script type="application/json" id="chart-data">
   (the Content-Security-Policy allows no inline script). A chart's element gets
   data-drawn="1" once ECharts has rendered it; null values (a site's counts under 5)
   are gaps. */
(function () {
  "use strict";
  var COLORS = ["#0b5394", "#e69138", "#cc0000", "#6aa84f", "#674ea7", "#45818e", "#bf9000"];

  function option(kind, spec) {
    if (kind === "pie") {
      return {
        color: COLORS, animation: false, tooltip: {trigger: "item"},
        legend: {bottom: 0, type: "scroll"},
        series: [{type: "pie", radius: ["30%", "65%"], data: spec.pie}]
      };
    }
    return {
      color: COLORS, animation: false, tooltip: {trigger: "axis"},
      legend: {top: 0}, grid: {left: 48, right: 16, top: 32, bottom: 64},
      xAxis: {type: "category", data: spec.x, axisLabel: {rotate: spec.x.length > 8 ? 35 : 0}},
      yAxis: {type: "value", minInterval: 1},
      series: spec.series.map(function (s) {
        return {name: s.name, type: kind, data: s.data, stack: spec.stack ? "all" : undefined,
                connectNulls: false};
      })
    };
  }

  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      var spec = data[el.getAttribute("data-chart")];
      if (!spec) { return; }
      var chart = echarts.init(el, null, {renderer: "canvas"});
      chart.on("finished", function () { el.setAttribute("data-drawn", "1"); });
      chart.setOption(option(el.getAttribute("data-kind"), spec));
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
    var pick = document.getElementById("matter-select");
    if (pick) {
      pick.addEventListener("change", function () { pick.form.submit(); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
