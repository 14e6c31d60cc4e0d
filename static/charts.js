// The dashboard's charts, drawn by plotly.js and updated in place (ui/livechart.py).
//
// Streamlit 1.67 draws a plotly chart whose figure changed as a new element: the old chart
// is thrown away and plotted from scratch on every click. This module keeps one chart node
// per chart and hands each new figure to Plotly.react, which changes only what changed.
// It is loaded once per browser tab (a static file, cached), and so is plotly.js.

const PLOTLY = "plotly-finance.min.js";

// Streamlit's light theme as plotly settings, as Streamlit's own charts apply it: the
// page's font, muted axis text, white paper, horizontal grid lines only, no side margins,
// Streamlit's categorical colours for traces that name none.
const FONT = '"Source Sans", "Source Sans Pro", sans-serif';
const TEXT = "#0e1117";
const MUTED = "#5c5f66";
const GRID = "#e6eaf1";
const AXIS_TEXT = { tickfont: { color: MUTED, size: 12 }, title: { font: { color: MUTED, size: 14 } } };
export const TEMPLATE = {
  layout: {
    font: { family: FONT, size: 12, color: MUTED },
    title: { font: { family: FONT, size: 16, color: TEXT }, subtitle: { font: { color: MUTED } } },
    paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff",
    colorway: ["#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d",
               "#7defa1", "#ff8700", "#ffd16a", "#6d3fc0", "#d5dae5"],
    xaxis: { ...AXIS_TEXT, showgrid: false, zeroline: false, gridcolor: GRID,
             tickcolor: GRID, automargin: true, title: { ...AXIS_TEXT.title, standoff: 16 } },
    yaxis: { ...AXIS_TEXT, gridcolor: GRID, zerolinecolor: GRID, tickcolor: GRID,
             ticklabelposition: "outside", automargin: true,
             title: { ...AXIS_TEXT.title, standoff: 20 } },
    margin: { pad: 8, l: 0, r: 0 },
    legend: { font: { size: 12, color: MUTED }, bordercolor: "rgba(0,0,0,0)", borderwidth: 0 },
    hoverlabel: { bgcolor: "#ffffff", bordercolor: "#d5dae5", font: { family: FONT, size: 12, color: TEXT } },
  },
};

let loading = null;

// plotly.js, loaded once into the page from the same folder as this module.
function plotly(base) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const tag = document.createElement("script");
      tag.src = base + PLOTLY;
      tag.onload = () => resolve(window.Plotly);
      tag.onerror = () => { loading = null; reject(new Error("plotly.js did not load")); };
      document.head.appendChild(tag);
    });
  }
  return loading;
}

// What st.plotly_chart reports for a clicked point: the pages read its customdata.
function clicked(event) {
  const points = event.points.map((p) => ({
    curve_number: p.curveNumber, point_number: p.pointNumber, point_index: p.pointIndex,
    x: p.x, y: p.y, customdata: p.customdata,
  }));
  // a click on the same point twice is two clicks: the time makes each value new
  return { selection: { points, point_indices: points.map((p) => p.point_index) }, at: Date.now() };
}

// Draw (or update) a chart inside `parentElement`. Its message is JSON, as bytes: the
// figure (traces and layout), plotly's config, the label a screen reader announces, and
// select, whether a click on a point is sent back (as the one-run trigger "select").
export function render({ data: message, parentElement, setTriggerValue }, base) {
  const data = typeof message === "string" ? JSON.parse(message)
    : JSON.parse(new TextDecoder().decode(message));
  let gd = parentElement.querySelector(".cohesion-chart");
  if (!gd) {  // the component's HTML holds one; made here only if it did not
    gd = document.createElement("div");
    gd.className = "cohesion-chart";
    parentElement.appendChild(gd);
  }
  gd.style.width = "100%";
  gd.setAttribute("role", "figure");
  gd.setAttribute("aria-label", data.label || "");
  gd.__send = setTriggerValue;  // the newest run's sender
  const figure = data.figure;
  const layout = figure.layout || {};
  layout.template = TEMPLATE;
  // a chart's title in bold, as Streamlit draws a plotly chart's
  const title = layout.title;
  if (title && typeof title.text === "string" && title.text && !title.text.startsWith("<b>")) {
    layout.title = { ...title, text: "<b>" + title.text + "</b>" };
  }
  layout.autosize = true;
  layout.height = layout.height || 450;
  gd.style.minHeight = layout.height + "px";
  return plotly(base).then((Plotly) => {
    Plotly.react(gd, figure.data || [], layout, { ...data.config, responsive: true });
    if (data.select && !gd.__wired) {
      gd.__wired = true;
      gd.on("plotly_click", (event) => gd.__send("select", clicked(event)));
    }
    return gd;
  });
}

// A chart left on a page the reader has gone from frees plotly's listeners.
export function release(gd) {
  if (gd && !gd.isConnected && window.Plotly) window.Plotly.purge(gd);
}
