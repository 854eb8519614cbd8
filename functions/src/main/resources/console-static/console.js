// Tollgate console: progressive enhancements only; every page works without this file.
document.addEventListener('click', (event) => {
  const copy = event.target.closest('[data-copy]');
  if (copy) {
    const source = document.getElementById(copy.dataset.copy);
    navigator.clipboard.writeText(source.textContent.trim()).then(() => {
      const label = copy.textContent;
      copy.textContent = 'Copied';
      setTimeout(() => { copy.textContent = label; }, 1500);
    });
  }
  const row = event.target.closest('tr[data-href]');
  if (row && !event.target.closest('a, button, form')) {
    window.location.assign(row.dataset.href);
  }
  const tab = event.target.closest('[data-tab]');
  if (tab) {
    const group = tab.closest('[data-tabs]');
    group.querySelectorAll('[data-panel]').forEach((p) => { p.hidden = p.dataset.panel !== tab.dataset.tab; });
  }
});
document.addEventListener('submit', (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
