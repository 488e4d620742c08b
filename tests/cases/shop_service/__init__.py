"""A small service written as services are: views call the helpers of a db module."""
