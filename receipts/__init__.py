"""Documents (slips, tickets, labels), ESC/POS output and the print queue."""
