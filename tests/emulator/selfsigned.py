# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A throw-away CA and a server certificate for 127.0.0.1, to serve the emulator over HTTPS.

Needs the ``cryptography`` library (ansible-core depends on it).
"""

from __future__ import annotations

import datetime
import ipaddress
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

if __package__:
    from .server.common import write_private
else:  # run from this folder, as atlas_emulator.py imports it
    from server.common import write_private


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_certificates(directory):
    """Write ca.pem, server.pem and server-key.pem into ``directory``; return their paths."""
    os.makedirs(directory, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    valid = dict(not_valid_before=now - datetime.timedelta(minutes=5), not_valid_after=now + datetime.timedelta(days=2))

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name('atlasops.backup test CA')
    ca_cert = (x509.CertificateBuilder(subject_name=ca_name, issuer_name=ca_name,
                                       public_key=ca_key.public_key(), serial_number=x509.random_serial_number(), **valid)
               .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
               .sign(ca_key, hashes.SHA256()))

    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = (x509.CertificateBuilder(subject_name=_name('127.0.0.1'), issuer_name=ca_cert.subject,
                                           public_key=server_key.public_key(), serial_number=x509.random_serial_number(),
                                           **valid)
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address('127.0.0.1')),
                                                               x509.DNSName('localhost')]), critical=False)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .sign(ca_key, hashes.SHA256()))

    paths = {name: os.path.join(directory, name) for name in ('ca.pem', 'server.pem', 'server-key.pem')}
    write_private(paths['ca.pem'], ca_cert.public_bytes(serialization.Encoding.PEM))
    write_private(paths['server.pem'], server_cert.public_bytes(serialization.Encoding.PEM))
    write_private(paths['server-key.pem'], server_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return paths['ca.pem'], paths['server.pem'], paths['server-key.pem']
