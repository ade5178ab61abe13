/* global window */
// The dead-letter view: list (masked unless revealed), replay one, replay all.
(function () {
  'use strict';
  const { el, api } = window.OpsUi;

  function payloadText(payload) {
    switch (payload.format) {
      case 'avro':
        return `Avro (schema ${payload.schemaId})\n${JSON.stringify(payload.data, null, 2)}`;
      case 'json':
        return `JSON\n${JSON.stringify(payload.data, null, 2)}`;
      case 'text':
        return `text\n${payload.text}`;
      case 'binary':
        return `${payload.length} bytes, not decodable${payload.error ? ` (${payload.error})` : ''}\n${payload.hex}`;
      default:
        return '(empty)';
    }
  }

  async function load(state, elements) {
    const target = elements.target.value;
    if (!target) return;
    const reveal = elements.reveal.checked;
    elements.summary.textContent = 'Loading…';
    try {
      const list = await api(
        `/api/dead-letters/${encodeURIComponent(target)}${reveal ? '?reveal=1' : ''}`,
      );
      elements.summary.textContent = `${list.topic}: ${list.total} letter(s) held, newest ${list.letters.length} shown${list.letters[0] && list.letters[0].masked ? ', personal data masked' : ''}.`;
      elements.letters.replaceChildren(table(list, state, elements));
    } catch (error) {
      elements.summary.textContent = `Could not load: ${error.message}`;
      elements.letters.replaceChildren();
    }
  }

  function table(list, state, elements) {
    return el(
      'table',
      { class: 'grid', 'data-testid': 'dead-letters' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ['Letter', 'Failed at', 'Key', 'Reason', 'From', 'Payload', 'Replays', ''].map((h) =>
            el('th', {}, h),
          ),
        ),
      ),
      el(
        'tbody',
        {},
        list.letters.map((l) =>
          el(
            'tr',
            { 'data-testid': 'letter' },
            el('td', {}, `${l.partition}/${l.offset}`),
            el('td', {}, l.failedAt || l.timestamp),
            el('td', {}, l.key || '–'),
            el('td', {}, el('strong', {}, l.reason), el('div', { class: 'muted' }, l.message)),
            el(
              'td',
              {},
              l.originalTopic
                ? `${l.originalTopic}/${l.originalPartition ?? '?'}/${l.originalOffset ?? '?'}`
                : '–',
            ),
            el('td', {}, el('pre', { class: 'payload' }, payloadText(l.payload))),
            el(
              'td',
              {},
              l.replays.length === 0
                ? 'never'
                : l.replays.map((r) => el('div', {}, `${r.replayedAt} by ${r.replayedBy}`)),
            ),
            el(
              'td',
              {},
              state.can('operator')
                ? el(
                    'button',
                    {
                      type: 'button',
                      'data-testid': 'replay',
                      disabled: l.replays.length > 0,
                      onclick: () =>
                        replay(state, elements, { partition: l.partition, offset: l.offset }),
                    },
                    'Replay',
                  )
                : null,
            ),
          ),
        ),
        list.letters.length === 0
          ? el('tr', {}, el('td', { colspan: 8, class: 'muted' }, 'No dead letters.'))
          : null,
      ),
    );
  }

  async function replay(state, elements, letter) {
    const target = elements.target.value;
    const what = letter
      ? `letter ${letter.partition}/${letter.offset}`
      : 'every letter not replayed yet';
    if (!window.confirm(`Replay ${what} of ${target} to its original topic?`)) return;
    try {
      const path = letter ? 'replay' : 'replay-all';
      const result = await api(`/api/dead-letters/${encodeURIComponent(target)}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(letter || {}),
      });
      const count = letter ? 1 : result.replayed.length;
      state.alert(
        'info',
        `Replayed ${count} letter(s) of ${target}${!letter && result.skipped.length ? `, skipped ${result.skipped.length}` : ''}.`,
      );
    } catch (error) {
      state.alert('warn', `Replay failed: ${error.message}`);
    }
    await load(state, elements);
  }

  function setTargets(select, data, wanted) {
    const options = new Map();
    for (const [sector, group] of Object.entries(data.sectors))
      options.set(sector, `${sector} (${group})`);
    for (const g of data.groups)
      if (!Object.values(data.sectors).includes(g.group)) options.set(g.group, g.group);
    const current = wanted || select.value;
    if (current && !options.has(current)) options.set(current, current);
    select.replaceChildren(...[...options].map(([value, label]) => el('option', { value }, label)));
    if (current) select.value = current;
  }

  window.OpsDeadLetters = { load, replay, setTargets };
})();
