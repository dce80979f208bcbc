// Imported first by the package's entry points: on a Node.js too old for adwarden (and for undici, its
// HTTP client), fail at import with what to do, rather than later with an undici stack trace.
const MINIMUM = { major: 22, minor: 19 };
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);

if (major < MINIMUM.major || (major === MINIMUM.major && minor < MINIMUM.minor))
  throw new Error(
    `adwarden needs Node.js ${MINIMUM.major}.${MINIMUM.minor} or newer (Node.js 24 LTS recommended); this is Node.js ${process.versions.node}. Install a current Node.js (https://nodejs.org, or your version manager: nvm install 24) and run again.`,
  );
