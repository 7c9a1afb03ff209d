// Dashboard: bar chart of this year's returns by nationality. The data comes from a json_script
// element (#returns-data); the same figures are in an accessible table beside the chart.
(function () {
  var dataEl = document.getElementById("returns-data");
  var canvas = document.getElementById("returns-chart");
  if (!dataEl || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(dataEl.textContent);
  var label = canvas.closest("section").querySelector("thead th:nth-child(2)");
  var horizontal = data.labels.length > 8;
  if (horizontal) {
    canvas.parentElement.style.height = Math.max(260, data.labels.length * 24 + 40) + "px";
  }
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{
        label: label ? label.textContent : "",
        data: data.people,
        backgroundColor: "rgba(13, 110, 253, 0.7)",
        borderRadius: 3
      }]
    },
    options: {
      indexAxis: horizontal ? "y" : "x",
      maintainAspectRatio: false,
      responsive: true,
      plugins: { legend: { display: false } },
      scales: {
        x: { ticks: { precision: 0 }, beginAtZero: true },
        y: { ticks: { precision: 0 }, beginAtZero: true }
      }
    }
  });
})();
