smtpsend: -p: bad port -f
Try 'smtpsend --help'.
