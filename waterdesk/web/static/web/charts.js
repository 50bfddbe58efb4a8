// Dashboard charts of the monthly assessment: the rate trend (line) and breached clocks (bar).
// The page puts each chart's data into a json_script element. Every label in the data is
// already translated, so this file has no text of its own.
(function () {
  "use strict";

  var charts = [];

  function readData(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  // Return a new chart on `container`, or null when the container is missing or already drawn.
  // htmx replaces the containers when the department changes, and the new ones are drawn then.
  function newChart(container) {
    if (!container || !window.echarts || window.echarts.getInstanceByDom(container)) {
      return null;
    }
    var chart = window.echarts.init(container);
    charts.push(chart);
    return chart;
  }

  function formatPercent(value) {
    return value === null || value === undefined ? "-" : value + "%";
  }

  function trendTooltip(data, items) {
    var encode = window.echarts.format.encodeHTML;
    var index = items[0].dataIndex;
    var lines = [
      "<strong>" + encode(data.titles[index]) + "</strong>",
      encode(data.received_label) + ": " + data.received[index]
    ];
    items.forEach(function (item) {
      lines.push(item.marker + encode(item.seriesName) + ": " + formatPercent(item.value));
    });
    return lines.join("<br>");
  }

  // Open the orders behind a point: the numerator of the rate in that month (and department).
  function openDrillDown(data, params) {
    if (params.componentType !== "series" || params.value === null || params.value === undefined) {
      return;
    }
    var query = new URLSearchParams({
      month: data.months[params.dataIndex],
      figure: data.series[params.seriesIndex].figure
    });
    if (data.department) {
      query.set("department", data.department);
    }
    window.open(data.drill_down_url + "?" + query.toString(), "_blank", "noopener");
  }

  function drawTrend() {
    var data = readData("assessment-trend-data");
    var chart = data && newChart(document.getElementById("assessment-trend-chart"));
    if (!chart) { return; }
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: "axis",
        formatter: function (items) { return trendTooltip(data, items); }
      },
      legend: { top: 0 },
      grid: { left: 8, right: 24, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: "category", data: data.months, boundaryGap: false },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      // A null value (a month without orders, or without callbacks for the satisfaction
      // rate) breaks the line instead of dropping it to zero.
      series: data.series.map(function (series) {
        return {
          name: series.name,
          type: "line",
          data: series.data,
          connectNulls: false,
          showSymbol: true,
          symbolSize: 8,
          cursor: "pointer"
        };
      })
    });
    chart.on("click", function (params) { openDrillDown(data, params); });
  }

  function drawBreaches() {
    var data = readData("assessment-breaches-data");
    var chart = data && newChart(document.getElementById("assessment-breaches-chart"));
    if (!chart) { return; }
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 8, bottom: 8, top: 24, containLabel: true },
      xAxis: { type: "category", data: data.clocks, axisLabel: { interval: 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{
        name: data.name,
        type: "bar",
        data: data.counts,
        label: { show: true, position: "top" }
      }]
    });
  }

  function drawAll() {
    // Charts whose container htmx removed are disposed, so their listeners go with them.
    charts = charts.filter(function (chart) {
      if (document.body.contains(chart.getDom())) { return true; }
      chart.dispose();
      return false;
    });
    drawTrend();
    drawBreaches();
  }

  drawAll();
  document.body.addEventListener("htmx:afterSettle", drawAll);
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
