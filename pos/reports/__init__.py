"""pos.reports"""
