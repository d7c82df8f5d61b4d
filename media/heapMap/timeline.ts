// The timeline: size and real_size after each operation, drawn on a canvas. Long histories are
// drawn one column per pixel (the maximum of the operations that fall in it).

import type { TimelinePoint } from '../../src/protocol/heapSnapshot';
import { h } from './dom';

/** The timeline canvas and its caption. */
export class Timeline {
  readonly el = h('figure', 'timeline');
  private readonly canvas = h('canvas');
  private readonly caption = h('span');

  constructor() {
    this.canvas.height = 120;
    this.canvas.setAttribute('role', 'img');
    const figcaption = h('figcaption');
    figcaption.append(h('span', 'key-size', '— size '), h('span', 'key-real-size', '— real_size '), this.caption);
    this.el.append(this.canvas, figcaption);
  }

  draw(points: readonly TimelinePoint[]): void {
    const last = points[points.length - 1];
    const label = last === undefined ? 'no operations yet' : `${points.length} operations; last: ${last.op} — size ${last.size}, real_size ${last.realSize}`;
    this.caption.textContent = label;
    this.canvas.setAttribute('aria-label', `timeline of size and real_size: ${label}`);
    const width = Math.max(200, Math.floor(this.el.clientWidth || 400));
    if (this.canvas.width !== width) this.canvas.width = width;
    const ctx = this.canvas.getContext('2d');
    if (ctx === null) return;
    const H = this.canvas.height;
    ctx.clearRect(0, 0, width, H);
    if (points.length === 0) return;
    let max = 1;
    for (const p of points) max = Math.max(max, p.realSize, p.size);
    const style = getComputedStyle(this.el);
    const line = (key: 'size' | 'realSize', colour: string): void => {
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      const cols = Math.min(width, points.length);
      for (let x = 0; x < cols; x++) {
        const from = Math.floor((x * points.length) / cols);
        const to = Math.max(from + 1, Math.floor(((x + 1) * points.length) / cols));
        let v = 0;
        for (let i = from; i < to; i++) v = Math.max(v, points[i][key]);
        const px = cols === 1 ? 0 : (x / (cols - 1)) * (width - 1);
        const py = H - 2 - (v / max) * (H - 4);
        if (x === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      }
      ctx.stroke();
    };
    line('realSize', style.getPropertyValue('--zmm-real-size').trim() || '#d18616');
    line('size', style.getPropertyValue('--zmm-size').trim() || '#3794ff');
  }
}
