/** Offers text made by the app (a resolver's CSV, a charter's Markdown) as a file download. */

/** Downloads `text` as `fileName`; the Custom UI frame allows downloads started by a click. */
export function downloadText(fileName: string, text: string, type: string): void {
  // The byte-order mark lets spreadsheet apps detect UTF-8 in a CSV; other files go as they are.
  const parts = type.startsWith('text/csv') ? ['\ufeff', text] : [text];
  const blob = new Blob(parts, { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Offers a CSV (made by the resolver) as a file download. */
export function downloadCsv(fileName: string, csv: string): void {
  downloadText(fileName, csv, 'text/csv;charset=utf-8');
}
