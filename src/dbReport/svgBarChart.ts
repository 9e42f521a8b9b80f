/** Horizontal bars, one group per label and one bar per series, on one linear axis from 0. */
export interface BarChart {
  readonly title: string;
  readonly series: readonly string[];
  readonly bars: readonly { readonly label: string; readonly values: readonly number[] }[];
  /** How a bar's value is written beside it. */
  readonly format: (value: number) => string;
}

const WIDTH = 760;
const LABEL_WIDTH = 280;
const PLOT_WIDTH = 380;
const BAR_HEIGHT = 12;
const GROUP_GAP = 8;
const TOP = 44;
const COLORS = ['#2b6cb0', '#c05621', '#2f855a', '#6b46c1'];
/** What fits in LABEL_WIDTH at 11 px. */
const LABEL_CHARACTERS = 46;

/** The chart as an inline `<svg>` element: no script, no external reference, text escaped. */
export function renderBarChart(chart: BarChart): string {
  const max = Math.max(0, ...chart.bars.flatMap((bar) => bar.values.filter(Number.isFinite)));
  const scale = (value: number) => (max === 0 ? 0 : (Math.max(0, value) / max) * PLOT_WIDTH);
  const groupHeight = chart.series.length * BAR_HEIGHT + GROUP_GAP;
  const height = TOP + chart.bars.length * groupHeight + 10;
  const parts = [text(8, 18, chart.title, 'font-size="13" font-weight="bold"')];
  chart.series.forEach((name, index) => {
    const x = LABEL_WIDTH + index * 130;
    parts.push(`<rect x="${x}" y="26" width="10" height="10" fill="${COLORS[index % COLORS.length]}"/>`, text(x + 14, 35, name, 'font-size="11"'));
  });
  chart.bars.forEach((bar, row) => {
    const top = TOP + row * groupHeight;
    const label = bar.label.length > LABEL_CHARACTERS ? `${bar.label.slice(0, LABEL_CHARACTERS - 1)}…` : bar.label;
    parts.push(text(LABEL_WIDTH - 8, top + (chart.series.length * BAR_HEIGHT) / 2 + 4, label, 'font-size="11" text-anchor="end"'));
    bar.values.forEach((value, index) => {
      const y = top + index * BAR_HEIGHT;
      const width = scale(value);
      parts.push(
        `<rect class="bar" x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT - 2}" fill="${COLORS[index % COLORS.length]}"><title>${escapeXml(`${bar.label}, ${chart.series[index]}: ${chart.format(value)}`)}</title></rect>`,
        text(LABEL_WIDTH + width + 4, y + BAR_HEIGHT - 3, chart.format(value), 'font-size="10"'),
      );
    });
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(chart.title)}">`,
    ...parts,
    '</svg>',
  ].join('\n');
}

function text(x: number, y: number, content: string, attributes: string): string {
  return `<text x="${x.toFixed(1)}" y="${y}" ${attributes}>${escapeXml(content)}</text>`;
}

/** Escapes text for XML and HTML content and attribute values. */
export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
