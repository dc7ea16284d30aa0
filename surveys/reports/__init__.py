"""The board's reports: satisfaction and service performance for a period, with charts, PDF and CSV.

- `periods`: the month, quarter, year or range of months a report covers, labelled in both calendars.
- `anonymity`: the threshold (5 answers) and the complementary suppression of survey figures.
- `satisfaction`: survey figures, aggregated in the database, published only where anonymity allows.
- `service_performance`: request figures (received, completed, times in working days, service level).
- `dashboard`: the whole report for one period, filters and viewer; the page, the PDF and the CSV read it.
- `quarterly`: the quarterly report that renders and sends itself on the first working day of a quarter.
"""
