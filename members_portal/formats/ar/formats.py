# Django's "ar" formats use "," for decimals and RLM marks in short dates; members read 1,250.50 and 2026/11/25.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "Y/m/d"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATETIME_FORMAT = "Y/m/d H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 0  # Sunday
