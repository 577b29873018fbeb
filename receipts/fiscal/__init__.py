"""Fiscal documents through an Italian RT (registratore telematico) speaking Epson Fiscal ePOS-Print.

- ``document``: the typed fiscal document (items, adjustments, payments, a refund/void reference);
- ``protocol``: pure functions from a document to the SOAP envelope, and from the RT's answer to
  a typed ``RtAnswer``;
- ``rules``: the department map of the printer's configuration, and a sale's slip to a document
  (refusing what the RT cannot express);
- ``client``: the HTTP transport to one RT (short time-outs; run off the till's UI thread);
- ``simulator``: a loopback RT for the tests, bench/ and the demo (never a fiscal device).
"""
