// A real OpenID Provider for the OIDC suite (tests/oidc): panva's oidc-provider on loopback.
// Configured from the environment by the Python test (which generated the keys):
//   IDP_PORT       port on 127.0.0.1
//   IDP_KEYS       path of a JSON file {"keys": [private JWKs]}; the first one signs (rotation:
//                  restart with a new key first and the old one after it)
//   APP_BASE       the doorbraak under test (redirect and post-logout URIs)
//   WEB_SECRET     the web client's secret (with '+' and '%', to test RFC 6749 2.3.1)
// Users: any login name at the dev login form; "karim" has a verified e-mail address,
// "lotte-onverifieerd" an unverified one.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.env.IDP_PORT);
const issuer = `http://127.0.0.1:${port}`;
const app = process.env.APP_BASE;
const jwks = JSON.parse(readFileSync(process.env.IDP_KEYS, 'utf8'));
const API = 'urn:doorbraak:api';

const ACCOUNTS = {
  karim: { email: 'karim@gemeente.example', email_verified: true },
  'lotte-onverifieerd': { email: 'lotte@gemeente.example', email_verified: false },
};

const provider = new Provider(issuer, {
  jwks,
  clients: [
    {
      client_id: 'doorbraak-web',
      client_secret: process.env.WEB_SECRET,
      redirect_uris: [`${app}/inloggen/terug`],
      post_logout_redirect_uris: [`${app}/uitgelogd`],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    },
    {
      // A public client (a command-line tool) that gets access tokens for the API with PKCE.
      client_id: 'doorbraak-cli',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1:9/callback'],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      id_token_signed_response_alg: 'ES256',
    },
  ],
  pkce: { required: () => true },
  scopes: ['openid', 'email', 'profile'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  findAccount: (ctx, id) => ({
    accountId: id,
    claims: () => ({ sub: id, ...(ACCOUNTS[id] || {}) }),
  }),
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => API,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, resource) => {
        if (resource !== API) throw new Error('unknown resource');
        return {
          scope: 'openid email',
          audience: API,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        };
      },
    },
  },
  // The API finds the medewerker by e-mail: put it (and whether it is verified) in the JWT.
  extraTokenClaims: (ctx, token) => {
    const account = ACCOUNTS[token.accountId];
    return account ? { ...account } : undefined;
  },
  ttl: { AccessToken: 600, IdToken: 600 },
});
provider.proxy = false;

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
