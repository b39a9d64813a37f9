// The ICB overview's filter (loaded only on ICB pages, src/site/icb-page.ts): narrows the network
// tables and the per-network panels by name or code and by flag. Progressive enhancement: the
// controls are hidden in the HTML and shown here, so without JavaScript the page lists every
// network. Each filtered element carries data-filter-item, data-name (lower case "name code")
// and data-flags (flag kinds, space-separated); the status line (a live region) says how many
// networks are shown.

function networksText(count) {
  return `${count} network${count === 1 ? '' : 's'}`;
}

function matches(item, text, flag) {
  if (text && !item.dataset.name.includes(text)) return false;
  const flags = item.dataset.flags ? item.dataset.flags.split(' ') : [];
  if (flag === 'any') return flags.length > 0;
  if (flag === 'none') return flags.length === 0;
  return flag === '' || flags.includes(flag);
}

function setUpFilter(controls) {
  const nameInput = controls.querySelector('[data-filter-name]');
  const flagSelect = controls.querySelector('[data-filter-flag]');
  const status = document.querySelector('[data-filter-count]');
  // The networks are counted in the first table (each table has a row per network).
  const table = document.querySelector('table[data-filter-table]');
  const rows = table ? [...table.querySelectorAll('tbody tr[data-filter-item]')] : [];
  const items = [...document.querySelectorAll('[data-filter-item]')];
  const apply = () => {
    const text = nameInput.value.trim().toLowerCase();
    const flag = flagSelect.value;
    for (const item of items) item.hidden = !matches(item, text, flag);
    const shown = rows.filter((row) => !row.hidden).length;
    status.textContent =
      shown === rows.length
        ? `Showing all ${networksText(rows.length)}.`
        : shown === 0
          ? `No network matches; ${networksText(rows.length)} in all.`
          : `Showing ${shown} of ${networksText(rows.length)}.`;
  };
  nameInput.addEventListener('input', apply);
  flagSelect.addEventListener('change', apply);
  controls.hidden = false;
  apply();
}

window.addEventListener('DOMContentLoaded', () => {
  const controls = document.querySelector('[data-icb-filter]');
  if (controls) setUpFilter(controls);
});
