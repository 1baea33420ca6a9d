// The talq inspector's own script (served by the mock; the CSP allows no inline script).
// "Copy" buttons copy the text of the <pre> they name; the text is on the page with JavaScript off too.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.copy");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.textContent).then(() => {
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = "Copy"; }, 1500);
  });
});
// Rows that arrive live replace the "no request yet" line; the live list keeps its newest 500 rows.
const MAX_ROWS = 500;
document.addEventListener("htmx:sseMessage", () => {
  const empty = document.getElementById("empty");
  if (empty) empty.remove();
  const rows = document.getElementById("rows");
  while (rows && rows.rows.length > MAX_ROWS) rows.deleteRow(-1);
});
