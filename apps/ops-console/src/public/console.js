/* global window, document */
// State, refresh loop, routing and in-page alerts of the ops console.
(function () {
  'use strict';
  const { el, api } = window.OpsUi;
  const { renderCards, renderTable, renderDetail } = window.OpsGroups;
  const DeadLetters = window.OpsDeadLetters;
  const $ = (id) => document.getElementById(id);

  const view = {
    sortKey: 'severity',
    sortDir: 'desc',
    filterText: '',
    filterStatus: '',
    selected: null,
  };
  let data = null;
  let timer = null;
  const previous = new Map();
  const events = [];

  const state = {
    /** The signed-in user's roles at the provider (viewer, operator, dpo). */
    roles: [],
    can: (role) => state.roles.includes(role),
    alert(level, text) {
      events.unshift({ level, text, at: new Date() });
      events.splice(8);
      renderAlerts();
    },
  };

  function renderAlerts() {
    const current = (data ? data.groups : [])
      .filter((g) => g.status !== 'OK')
      .map((g) =>
        el(
          'div',
          { class: `alert ${g.status === 'WARN' ? 'warn' : ''}`, 'data-testid': 'alert' },
          el(
            'strong',
            {},
            `${g.sector ? g.sector.toUpperCase() + ' · ' : ''}${g.group} is ${g.status}`,
          ),
          `: ${g.reason}`,
        ),
      );
    const letters = (data ? data.groups : [])
      .filter((g) => g.deadLetters.total > g.deadLetters.replayed)
      .map((g) =>
        el(
          'div',
          { class: 'alert warn', 'data-testid': 'alert' },
          `${g.deadLetters.total - g.deadLetters.replayed} dead letter(s) waiting in ${g.deadLetters.topic}`,
        ),
      );
    const health =
      data && !data.health.ok
        ? [
            el(
              'div',
              { class: 'alert' },
              `Console degraded: Kafka ${data.health.kafka}, database ${data.health.database}`,
            ),
          ]
        : [];
    const recent = events.map((e) =>
      el('div', { class: `alert ${e.level}` }, `${e.at.toLocaleTimeString()} · ${e.text}`),
    );
    $('alerts').replaceChildren(...health, ...current, ...letters, ...recent);
  }

  /** Status changes since the last refresh become timestamped alerts. */
  function noteTransitions(groups) {
    for (const g of groups) {
      const before = previous.get(g.group);
      if (before && before !== g.status) {
        state.alert(g.status === 'OK' ? 'info' : 'warn', `${g.group}: ${before} → ${g.status}`);
      }
      previous.set(g.group, g.status);
    }
  }

  function render() {
    if (!data) return;
    renderCards($('sector-cards'), data, openGroup);
    renderTable($('groups-table'), data.groups, view, openGroup);
    renderDetail(
      $('group-detail'),
      data.groups.find((g) => g.group === view.selected),
    );
    renderAlerts();
  }

  async function refresh() {
    try {
      data = await api('/api/groups');
      noteTransitions(data.groups);
      $('last-refresh').textContent =
        `updated ${new Date(data.generatedAt).toLocaleTimeString()} · ${data.health.polls} polls`;
      if (!$('dlq').hidden && $('dlq-target').options.length === 0)
        DeadLetters.setTargets($('dlq-target'), data);
      render();
    } catch (error) {
      $('last-refresh').textContent = `refresh failed: ${error.message}`;
    }
  }

  function schedule() {
    window.clearInterval(timer);
    const every = Number($('refresh-interval').value);
    if (every > 0) timer = window.setInterval(refresh, every);
  }

  function openGroup(group) {
    window.location.hash = `#/group/${encodeURIComponent(group)}`;
  }

  async function route() {
    const hash = window.location.hash || '#/';
    const dlq = hash.startsWith('#/dlq');
    const where = hash.startsWith('#/where');
    $('overview').hidden = dlq || where;
    $('dlq').hidden = !dlq;
    $('where').hidden = !where;
    const tab = dlq ? 'dlq' : where ? 'where' : 'overview';
    for (const a of document.querySelectorAll('.tabs a'))
      a.classList.toggle('active', a.dataset.tab === tab);
    if (where) {
      // A personal ID in the address stays in this browser's history only; the API masks it.
      const id = decodeURIComponent(hash.slice('#/where/'.length) || '');
      $('where-id').value = id;
      await window.OpsWhere.find({ summary: $('where-summary'), results: $('where-results') }, id);
      return;
    }
    if (dlq) {
      const target = decodeURIComponent(hash.slice('#/dlq/'.length) || '');
      if (data) DeadLetters.setTargets($('dlq-target'), data, target || undefined);
      await DeadLetters.load(state, dlqElements());
      return;
    }
    view.selected = hash.startsWith('#/group/')
      ? decodeURIComponent(hash.slice('#/group/'.length))
      : null;
    render();
    if (view.selected) $('group-detail').scrollIntoView({ block: 'nearest' });
  }

  const dlqElements = () => ({
    target: $('dlq-target'),
    reveal: $('dlq-reveal'),
    summary: $('dlq-summary'),
    letters: $('dlq-letters'),
  });

  function wire() {
    $('sign-out').addEventListener('click', () => window.OpsAuth.signOut());
    $('refresh-interval').addEventListener('change', schedule);
    $('refresh-now').addEventListener('click', refresh);
    $('filter-text').addEventListener(
      'input',
      (e) => ((view.filterText = e.target.value), render()),
    );
    $('filter-status').addEventListener(
      'change',
      (e) => ((view.filterStatus = e.target.value), render()),
    );
    for (const th of document.querySelectorAll('#groups-table th[data-sort]')) {
      th.addEventListener('click', () => {
        view.sortDir = view.sortKey === th.dataset.sort && view.sortDir === 'asc' ? 'desc' : 'asc';
        view.sortKey = th.dataset.sort;
        render();
      });
    }
    $('dlq-load').addEventListener('click', () => {
      window.location.hash = `#/dlq/${encodeURIComponent($('dlq-target').value)}`;
      return DeadLetters.load(state, dlqElements());
    });
    $('dlq-reveal').addEventListener('change', () => DeadLetters.load(state, dlqElements()));
    $('dlq-replay-all').addEventListener('click', () =>
      DeadLetters.replay(state, dlqElements(), null),
    );
    $('where-form').addEventListener('submit', (e) => {
      e.preventDefault();
      window.location.hash = `#/where/${encodeURIComponent($('where-id').value.trim())}`;
    });
    window.addEventListener('hashchange', route);
  }

  window.OpsAuth.signIn().then((who) => {
    state.roles = who.roles;
    $('signed-in').textContent = `${who.name} (${who.roles.join(', ') || 'no role'})`;
    // Only operators replay and only data-protection officers reveal: the server refuses
    // the others anyway, the page just does not offer it.
    $('dlq-replay-all').hidden = !state.can('operator');
    $('dlq-reveal').parentElement.hidden = !state.can('dpo');
    wire();
    refresh().then(route);
    schedule();
  });
})();
