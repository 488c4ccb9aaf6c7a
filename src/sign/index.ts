// Signed artifacts: SSH signatures (OpenSSH's SSHSIG) of the manifest, and the folder check that reads them.
export { checkArtifactFolder, signatureFile, signatureNamespace, type CheckedFolder } from "./artifact-folder.js";
export { keySource, readPrivateKey, readPublicKey, type KeySource } from "./key-source.js";
export { fingerprint, parseSshPrivateKey, parseSshPublicKey, type SshPrivateKey, type SshPublicKey } from "./ssh-keys.js";
export { signSsh, verifySsh } from "./ssh-signature.js";
