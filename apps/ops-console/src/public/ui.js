/* global window, document */
// Small DOM and formatting helpers shared by the console's scripts (no framework, no CDN).
(function () {
  'use strict';
  const SVG = 'http://www.w3.org/2000/svg';
  const SEVERITY = { OK: 0, WARN: 1, ERR: 2, STOP: 3, STALL: 4, REWIND: 5 };

  /** Builds an element; strings become text nodes, so data never becomes markup. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else if (name === 'dataset') Object.assign(node.dataset, value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof window.Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function badge(status) {
    return el('span', { class: `badge ${status}`, 'data-testid': 'status' }, status);
  }

  function number(value) {
    return value === null || value === undefined ? '–' : Number(value).toLocaleString('en-US');
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return '–';
    if (seconds < 1) return seconds === 0 ? '0 s' : '<1 s';
    if (seconds < 120) return `${Math.round(seconds)} s`;
    if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
    if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
    return `${(seconds / 86400).toFixed(1)} d`;
  }

  function toClear(trend) {
    if (!trend) return '–';
    if (trend.secondsToClear === null) return '∞ (not shrinking)';
    return duration(trend.secondsToClear);
  }

  /** An inline SVG sparkline of the lag history, with a dot on the latest point. */
  function sparkline(history, key = 'lag', width = 110, height = 26) {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('role', 'img');
    const values = (history || []).map((h) => h[key]);
    svg.setAttribute('aria-label', `${key} trend, latest ${values.at(-1) ?? 'none'}`);
    if (values.length < 2) return svg;
    const max = Math.max(...values, 1);
    const step = (width - 4) / (values.length - 1);
    const points = values.map((v, i) => [2 + i * step, height - 2 - (v / max) * (height - 4)]);
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', points.map((p) => p.map((n) => n.toFixed(1)).join(',')).join(' '));
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', '#1565c0');
    line.setAttribute('stroke-width', '1.5');
    svg.append(line);
    const [x, y] = points.at(-1);
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', x.toFixed(1));
    dot.setAttribute('cy', y.toFixed(1));
    dot.setAttribute('r', '2.2');
    dot.setAttribute('fill', values.at(-1) > 0 ? '#c62828' : '#2e7d32');
    svg.append(dot);
    return svg;
  }

  async function api(path, init = {}) {
    const auth = await window.OpsAuth.headers();
    const response = await window.fetch(path, {
      ...init,
      headers: { ...(init.headers || {}), ...auth },
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const message =
        body && body.error ? `${body.error.code}: ${body.error.message}` : response.statusText;
      throw new Error(message);
    }
    return body;
  }

  window.OpsUi = { el, badge, number, duration, toClear, sparkline, api, SEVERITY };
})();
