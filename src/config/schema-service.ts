/**
 * Options of orc's own service: the HTTP listener and its TLS, authentication, and logging.
 */
import { bool, int, list, oneOf, secret, str } from './spec.js';

export const http = {
  listenAddress: str({
    default: ':3000',
    doc: 'Address (`host:port` or `:port`) the HTTP API and web UI listen on.',
    reload: false,
    orc: 'ListenAddress',
  }),
  listenSocket: str({
    doc: 'Unix socket path to listen on instead; when set, TCP is not used.',
    reload: false,
    orc: 'ListenSocket',
  }),
  urlPrefix: str({
    doc: 'Serve under this sub-path behind a reverse proxy; normalised to `/prefix`.',
    reload: false,
    orc: 'URLPrefix',
  }),
  statusEndpoint: str({
    default: '/api/status',
    doc: 'Path of the health endpoint that load balancers poll.',
    reload: false,
    orc: 'StatusEndpoint',
  }),
  statusOuVerify: bool({
    default: false,
    doc: 'With mutual TLS, also check the client certificate OU on the status endpoint.',
    reload: false,
    orc: 'StatusOUVerify',
  }),
  readOnly: bool({
    default: false,
    doc: 'Refuse every mutating API call and hide mutation controls in the UI.',
    reload: true,
    orc: 'ReadOnly',
  }),
  webMessage: str({
    doc: 'Banner shown on every web page.',
    reload: true,
    orc: 'WebMessage',
  }),
  removeTextFromHostnameDisplay: str({
    doc: 'Text stripped from host names when they are displayed.',
    reload: true,
    orc: 'RemoveTextFromHostnameDisplay',
  }),
  useSsl: bool({
    default: false,
    doc: 'Serve HTTPS with `sslCertFile` and `sslPrivateKeyFile`.',
    reload: false,
    orc: 'UseSSL',
  }),
  useMutualTls: bool({
    default: false,
    doc: 'Require client certificates whose OU is listed in `sslValidOus`.',
    reload: false,
    orc: 'UseMutualTLS',
  }),
  sslSkipVerify: bool({
    default: false,
    doc: 'Do not verify peer certificates on HTTPS connections orc makes to other orc nodes.',
    reload: false,
    orc: 'SSLSkipVerify',
  }),
  sslPrivateKeyFile: str({
    doc: 'PEM private key file for HTTPS.',
    reload: false,
    orc: 'SSLPrivateKeyFile',
  }),
  sslCertFile: str({ doc: 'PEM certificate file for HTTPS.', reload: false, orc: 'SSLCertFile' }),
  sslCaFile: str({
    doc: 'PEM certificate authority file for HTTPS clients.',
    reload: false,
    orc: 'SSLCAFile',
  }),
  sslValidOus: list({
    doc: 'Organisational units accepted on client certificates with mutual TLS.',
    reload: false,
    orc: 'SSLValidOUs',
  }),
  prependMessagesWithOrcIdentity: oneOf(['', 'none', 'FQDN', 'hostname', 'custom'], {
    default: '',
    doc: 'Prefix error messages returned to clients with this node identity (Percona).',
    reload: true,
    orc: 'PrependMessagesWithOrcIdentity',
  }),
  customOrcIdentity: str({
    doc: 'Identity used when `prependMessagesWithOrcIdentity` is `custom` (Percona).',
    reload: true,
    orc: 'CustomOrcIdentity',
  }),
};

export const auth = {
  method: oneOf(['', 'basic', 'multi', 'proxy', 'token', 'oauth'], {
    default: '',
    doc: 'HTTP authentication: none (""), `basic`, `multi` (basic plus a read-only user), `proxy` (trust `userHeader`), `token`, or `oauth`.',
    reload: false,
    orc: 'AuthenticationMethod',
  }),
  user: str({
    doc: 'User name for `basic` and `multi` authentication.',
    reload: true,
    orc: 'HTTPAuthUser',
  }),
  password: secret({
    doc: 'Password for `basic` and `multi` authentication.',
    reload: true,
    orc: 'HTTPAuthPassword',
  }),
  userHeader: str({
    default: 'X-Forwarded-User',
    doc: 'Request header carrying the user name with `proxy` authentication.',
    reload: true,
    orc: 'AuthUserHeader',
  }),
  powerUsers: list({
    default: ['*'],
    doc: 'Users allowed to make changes with `proxy` authentication (`*` = everyone).',
    reload: true,
    orc: 'PowerAuthUsers',
  }),
  powerGroups: list({
    doc: 'Unix groups whose members may make changes with `proxy` authentication.',
    reload: true,
    orc: 'PowerAuthGroups',
  }),
  accessTokenUseExpirySeconds: int({
    default: 60,
    doc: 'Seconds within which an issued access token must be used.',
    reload: true,
    orc: 'AccessTokenUseExpirySeconds',
  }),
  accessTokenExpiryMinutes: int({
    default: 1440,
    doc: 'Minutes after which an access token expires.',
    reload: true,
    orc: 'AccessTokenExpiryMinutes',
  }),
  oauthClientId: str({
    doc: 'OAuth client id.',
    reload: false,
    orc: 'OAuthClientId',
    compat: true,
  }),
  oauthClientSecret: secret({
    doc: 'OAuth client secret.',
    reload: false,
    orc: 'OAuthClientSecret',
    compat: true,
  }),
  oauthScopes: list({ doc: 'OAuth scopes.', reload: false, orc: 'OAuthScopes', compat: true }),
};

export const log = {
  level: oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], {
    default: 'info',
    doc: 'Lowest level written to the log; `log.debug` lowers `info` to `debug`.',
    reload: true,
  }),
  format: oneOf(['json', 'pretty'], {
    default: 'json',
    doc: 'JSON lines for machines, or coloured text for people at a terminal.',
    reload: false,
  }),
  debug: bool({
    default: false,
    doc: 'Debug mode: when `log.level` is `info`, log at `debug` instead.',
    reload: true,
    orc: 'Debug',
  }),
  syslog: bool({
    default: false,
    doc: 'Also send log lines to the syslog daemon.',
    reload: false,
    orc: 'EnableSyslog',
    compat: true,
  }),
};
