"""Windows cryptography the way .NET and package verifiers use it: CNG hashing, HMAC, PBKDF2
and RSA signature checks (bcrypt.dll), and crypt32's certificate recognition, names, search,
properties and OID table; then vsce-sign, a .NET NativeAOT program from npm, checking a
signature archive with all of them."""
from __future__ import annotations

import base64
import hashlib
import hmac
import shutil
import textwrap
import zipfile

import pytest

from conftest import PROGRAMS, REPO, make_root, tblc
from test_msvc import _npm_package

DATA = REPO / "tests" / "data"


@pytest.mark.parametrize("bits", [64, 32])
def test_cng_hashes_macs_key_derivation_and_rsa_signatures(mingw, bits, tmp_path):
    root = make_root(tmp_path, {"/cng.exe": mingw("cng", bits, libs=("-lbcrypt",))})
    res = tblc("run", "--root", root, "/cng.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    abc, ab = hashlib.sha256(b"abc").hexdigest(), hashlib.sha256(b"ab").hexdigest()
    fox = b"The quick brown fox jumps over the lazy dog"
    assert res.stdout.decode().splitlines() == [
        "object 1 digest 32 missing 0xc0000225",            # STATUS_NOT_FOUND
        f"sha256 abc {abc}", f"sha256 ab {ab}", f"one call 0 sha256 abc {abc}",
        f"reused abc {abc}", "wrong size 0xc000000d",
        f"hmac-sha1 {hmac.new(b'key', fox, 'sha1').hexdigest()}",
        f"pbkdf2 {hashlib.pbkdf2_hmac('sha256', b'password', b'salt', 4096, 32).hex()}",
        # STATUS_INVALID_SIGNATURE for a hash that is not the one signed
        "rsa import 0 bits 1024 pkcs1 0 pss 0 tampered 0xc000a000 0xc000a000", "closed 0"]


@pytest.mark.parametrize("bits", [64, 32])
def test_crypt32_recognises_names_finds_and_describes_a_certificate(mingw, bits, tmp_path):
    exe = mingw("certs", bits, libs=("-lcrypt32",))
    source = (PROGRAMS / "win" / "certs.c").read_text()
    der = bytes(int(b, 16) for b in
                source.split("certificate[] = {")[1].split("}")[0].replace(",", " ").split())
    root = make_root(tmp_path, {"/certs.exe": exe})
    pem = "\n".join(textwrap.wrap(base64.b64encode(der).decode(), 64))
    (root / "cert.pem").write_text(f"-----BEGIN CERTIFICATE-----\n{pem}\n-----END CERTIFICATE-----\n")
    res = tblc("run", "--root", root, "--cwd", "/", "/certs.exe", timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().splitlines() == [
        "query 1 content 1 format 1 store 1",               # CERT_QUERY_CONTENT_CERT, binary
        "from a file 1 format 2 same 1",                    # Base64
        "junk 0 0x80092009",                                # CRYPT_E_NO_MATCH
        'x500 40 [C=US, O="Example ""Q""", CN="test, one"]',
        'reversed [CN="test, one"; O="Example ""Q"""; C=US]',
        'simple, cut short [US, "Ex]',
        'oids [2.5.4.6=US, 2.5.4.10="Example ""Q""", 2.5.4.3="test, one"]',
        f"found by text 1 none 1 by hash 1 as a signer 1 sha1 1 {hashlib.sha1(der).hexdigest()}",
        "friendly 1 [mine] archived 0 0x80092004",          # CRYPT_E_NOT_FOUND
        "oid sha256 SHA256 group 1 size 1, algid 1.3.14.3.2.26, cn 2.5.4.3, unknown 1"]


VSCE_SIGN = ("@vscode/vsce-sign-win32-x64", "2.0.6")
# vsce-sign's exit codes (its ExitCode enum): the signature is intact but its certificate is
# not one the marketplace trusts; the signature does not match the manifest.
SIGNATURE_IS_NOT_VALID, SIGNATURE_INTEGRITY_CHECK_FAILED = 38, 33


def test_vsce_sign_checks_a_signature_archive(tmp_path):
    """vsce-sign (.NET NativeAOT) hashes the manifest with CNG, decodes the PKCS #7 signature,
    loads its certificate through crypt32 and verifies the RSA signature; the archive in
    tests/data was signed by a self-signed certificate (openssl cms -sign -binary, detached),
    so it gets as far as rejecting that certificate. With a manifest changed after signing,
    it fails the integrity check instead. (It crashed in its first exception before.)"""
    exe = _npm_package(*VSCE_SIGN) / "bin" / "vsce-sign.exe"
    root = make_root(tmp_path, {"/vsce-sign.exe": exe})
    with zipfile.ZipFile(root / "ext.vsix", "w") as z:
        z.writestr("extension.vsixmanifest", "<PackageManifest/>")
    shutil.copy(DATA / "vsce-sign" / "selfsigned.sigzip", root / "good.sigzip")
    with zipfile.ZipFile(DATA / "vsce-sign" / "selfsigned.sigzip") as src, \
            zipfile.ZipFile(root / "tampered.sigzip", "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data.replace(b"1", b"2") if item.filename.endswith("manifest")
                         else data)
    for archive, status in (("good", SIGNATURE_IS_NOT_VALID),
                            ("tampered", SIGNATURE_INTEGRITY_CHECK_FAILED)):
        res = tblc("run", "--root", root, "--cwd", "/", "/vsce-sign.exe", "verify",
                   "--package", "ext.vsix", "--signaturearchive", f"{archive}.sigzip",
                   timeout=300)
        assert res.returncode == status, (archive, res.returncode, res.stderr.decode())
