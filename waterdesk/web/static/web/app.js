// waterdesk pages: live countdowns, keyboard submit, category defaults, reply check helpers,
// and the dashboard chart. Plain browser JavaScript; htmx does the requests.
(function () {
  "use strict";

  var labels = document.body.dataset;

  // --- Countdowns -------------------------------------------------------------------------
  // Each .countdown carries the seconds left when the server rendered it. The browser counts
  // from the moment it first saw the element, so a wrong clock on the user's computer does not
  // matter.
  function pad(number) {
    return number < 10 ? "0" + number : String(number);
  }

  function formatSeconds(total) {
    var seconds = Math.abs(Math.round(total));
    var days = Math.floor(seconds / 86400);
    var hours = Math.floor((seconds % 86400) / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var clock = pad(hours) + ":" + pad(minutes) + ":" + pad(seconds % 60);
    return days > 0 ? days + labels.dayUnit + " " + clock : clock;
  }

  function tick() {
    var now = performance.now();
    document.querySelectorAll(".countdown[data-seconds]").forEach(function (element) {
      if (element.dataset.seenAt === undefined) {
        element.dataset.seenAt = String(now);
      }
      var elapsed = (now - Number(element.dataset.seenAt)) / 1000;
      var left = Number(element.dataset.seconds) - elapsed;
      var warning = Number(element.dataset.warning || 0);
      var state = "running";
      if (left <= 0) {
        state = "breached";
      } else if (left <= warning) {
        state = "warning";
      }
      var label = left <= 0 ? labels.overdueLabel : labels.leftLabel;
      element.textContent = label + " " + formatSeconds(left);
      var box = element.closest(".clock");
      if (box) {
        box.classList.remove("running", "warning", "breached");
        box.classList.add(state);
      }
    });
  }
  tick();
  setInterval(tick, 1000);

  // Polling stops while the user works inside the list, so a refresh never takes their focus.
  window.waterdeskIdle = function (id) {
    var area = document.getElementById(id);
    return !(area && area.contains(document.activeElement) && document.activeElement !== document.body);
  };

  // --- Enter submits ----------------------------------------------------------------------
  // In a text box marked data-enter-submits, Enter sends the form and Shift+Enter starts a new
  // line. Enter that confirms a Chinese input method's candidate (isComposing) is left alone.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) {
      return;
    }
    if (!target.form || !target.matches) {
      return;
    }
    // Text inputs submit on Enter by themselves; a select or check box of a keyboard-first
    // form does so here too.
    var keyboardForm = target.form.hasAttribute("data-keyboard-form");
    if (
      target.matches("textarea[data-enter-submits]") ||
      (keyboardForm && target.matches("select, input[type=checkbox]"))
    ) {
      event.preventDefault();
      target.form.requestSubmit();
    }
  });

  // --- Category defaults ------------------------------------------------------------------
  // Choosing a fault category fills in its default department and time limit, unless the
  // dispatcher has already changed those fields by hand.
  var defaultsElement = document.getElementById("category-defaults");
  var category = document.getElementById("id_category");
  if (defaultsElement && category) {
    var defaults = JSON.parse(defaultsElement.textContent);
    var department = document.getElementById("id_department");
    var hours = document.getElementById("id_time_limit_hours");
    [department, hours].forEach(function (field) {
      field.addEventListener("input", function () { field.dataset.touched = "true"; });
    });
    category.addEventListener("change", function () {
      var chosen = defaults[category.value];
      if (!chosen) { return; }
      if (!department.dataset.touched) { department.value = chosen.department; }
      if (!hours.dataset.touched) { hours.value = chosen.hours; }
    });
  }

  // --- Reply check helpers ----------------------------------------------------------------
  // A button with data-insert-text puts its text into the reply box. The text replaces the range
  // data-replace-start..end when that range still contains data-expected, else goes at the cursor.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert-text]");
    if (!button) { return; }
    var box = document.getElementById(button.dataset.target || "id_content");
    if (!box) { return; }
    event.preventDefault();
    var text = button.dataset.insertText;
    var start = box.selectionStart;
    var end = box.selectionEnd;
    if (button.dataset.replaceStart !== undefined) {
      var from = Number(button.dataset.replaceStart);
      var to = Number(button.dataset.replaceEnd);
      if (box.value.slice(from, to) === button.dataset.expected) {
        start = from;
        end = to;
      } else {
        start = 0;
        end = 0;
      }
    }
    box.value = box.value.slice(0, start) + text + box.value.slice(end);
    box.focus();
    box.setSelectionRange(start + text.length, start + text.length);
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });

  // --- Dashboard chart --------------------------------------------------------------------
  var chart = null;
  function drawChart() {
    var dataElement = document.getElementById("dashboard-chart-data");
    var container = document.getElementById("dashboard-chart");
    if (!dataElement || !container || !window.echarts) { return; }
    var data = JSON.parse(dataElement.textContent);
    if (!chart) {
      chart = window.echarts.init(container);
      window.addEventListener("resize", function () { chart.resize(); });
    }
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 56, containLabel: true },
      xAxis: { type: "category", data: data.departments, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (series) {
        return { name: series.name, type: "bar", stack: "open", data: series.data };
      })
    }, true);
  }
  drawChart();
  document.body.addEventListener("htmx:afterSwap", drawChart);
})();
