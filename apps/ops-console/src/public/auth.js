/* global window */
// Sign-in with the OpenID Connect provider: authorization code + PKCE through oidc-client-ts
// (served from /vendor/). The token goes with every API call; the roles only shape the page:
// the server checks every call itself.
(function () {
  'use strict';
  let manager = null;
  let user = null;

  function claims(token) {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(window.atob(part));
  }

  async function signIn() {
    const config = await (await window.fetch('/auth-config.json')).json();
    const origin = window.location.origin;
    manager = new window.oidc.UserManager({
      authority: config.issuer,
      client_id: config.clientId,
      redirect_uri: `${origin}/`,
      post_logout_redirect_uri: `${origin}/`,
      response_type: 'code',
      scope: 'openid',
      automaticSilentRenew: false,
    });
    const params = new window.URLSearchParams(window.location.search);
    if (params.has('code') && params.has('state')) {
      user = await manager.signinRedirectCallback();
      const hash = (user.state && user.state.hash) || '';
      window.history.replaceState({}, '', `/${hash}`);
    } else {
      user = await manager.getUser();
    }
    if (!user || user.expired) {
      await manager.signinRedirect({ state: { hash: window.location.hash } });
      return new Promise(() => undefined); // the browser leaves for the provider's login page
    }
    const roles = (claims(user.access_token).resource_access || {})[config.clientId] || {};
    return { name: user.profile.preferred_username || user.profile.sub, roles: roles.roles || [] };
  }

  /** Headers for an API call; an expired session signs in again. */
  async function headers() {
    if (!user || user.expired) {
      await manager.signinRedirect({ state: { hash: window.location.hash } });
      return new Promise(() => undefined);
    }
    return { authorization: `Bearer ${user.access_token}` };
  }

  async function signOut() {
    await manager.signoutRedirect({ id_token_hint: user && user.id_token });
  }

  window.OpsAuth = { signIn, headers, signOut };
})();
