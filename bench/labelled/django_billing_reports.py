# sqlsec-labels: SQL101, SQL102, SQL104, SQL201, SQL202, SQL203
"""Billing reports: views and query helpers of a Django invoicing app."""
from django.db import connection, models
from django.db.models import Count, F, Func, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Extract, Trunc
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.generic import ListView

PERIODS = ("day", "week", "month", "quarter", "year")
ORDERINGS = {"number", "-number", "issued_at", "-issued_at", "total", "-total"}
SEARCH_FIELDS = ("number", "customer__name", "customer__vat_id")
STATUS_OPEN = "open"


class Customer(models.Model):
    name = models.CharField(max_length=200)
    vat_id = models.CharField(max_length=32, blank=True)
    region = models.CharField(max_length=8)


class Invoice(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    number = models.CharField(max_length=32, unique=True)
    status = models.CharField(max_length=16, default=STATUS_OPEN)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    issued_at = models.DateTimeField()
    due_at = models.DateTimeField()

    class Meta:
        db_table = "billing_invoice"


def invoice_by_number(number):
    return list(Invoice.objects.raw(f"SELECT * FROM billing_invoice WHERE number = '{number}'"))  # expect: SQL101


def invoice_by_number_safe(number):
    return list(Invoice.objects.raw("SELECT * FROM billing_invoice WHERE number = %s", [number]))  # ok: SQL101


def open_invoices(status_filter):
    qs = Invoice.objects.filter(customer__region="EU")
    return qs.extra(where=[f"status = '{status_filter}'"])  # expect: SQL202


def open_invoices_safe(status_filter):
    qs = Invoice.objects.filter(customer__region="EU")
    return qs.extra(where=["status = %s"], params=[status_filter])  # ok: SQL202


def with_age_column(cutoff):
    return Invoice.objects.extra(
        select={
            "age_days": "CURRENT_DATE - issued_at::date",  # ok: SQL202
            "is_late": "due_at < '%s'" % cutoff,  # expect: SQL202
        }
    )


def with_rates(schema):
    return Invoice.objects.extra(
        tables=[f"{schema}.currency_rates"],  # expect: SQL202
        where=["currency_rates.code = billing_invoice.currency"],  # ok: SQL202
    )


def with_rates_checked(schema):
    if schema not in ("fx_live", "fx_archive"):
        raise ValueError("unknown rates schema")
    return Invoice.objects.extra(tables=[f"{schema}.currency_rates"])  # ok: SQL202


def sorted_by_extra(field):
    return Invoice.objects.extra(order_by=[f"-{field}"])  # expect: SQL202


def with_paid_amount(method):
    return Invoice.objects.annotate(
        paid=RawSQL(  # expect: SQL202
            "SELECT COALESCE(SUM(amount), 0) FROM billing_payment p "
            f"WHERE p.invoice_id = billing_invoice.id AND p.method = '{method}'",
            [],
        )
    )


def with_paid_amount_safe(method):
    return Invoice.objects.annotate(
        paid=RawSQL(  # ok: SQL202
            "SELECT COALESCE(SUM(amount), 0) FROM billing_payment p "
            "WHERE p.invoice_id = billing_invoice.id AND p.method = %s",
            (method,),
        )
    )


def with_display_number(suffix):
    return Invoice.objects.annotate(
        display=Func(F("number"), function="UPPER", template=f"%(function)s(%(expressions)s) || '{suffix}'")  # expect: SQL202
    )


def with_display_number_safe():
    return Invoice.objects.annotate(
        display=Func(F("number"), function="UPPER", template="%(function)s(%(expressions)s::text)")  # ok: SQL202
    )


def ranked_search(query_text):
    return Invoice.objects.extra(
        select={"rank": f"ts_rank(search_vector, plainto_tsquery('simple', '{query_text}'))"},  # expect: SQL202
        order_by=["-rank"],  # ok: SQL202
    )


def ranked_search_safe(query_text):
    return Invoice.objects.extra(
        select={"rank": "ts_rank(search_vector, plainto_tsquery('simple', %s))"},  # ok: SQL202
        select_params=(query_text,),
        order_by=["-rank"],
    )


def with_customer_flag(vat_prefix):
    flag = RawSQL("SELECT c.vat_id LIKE '%s%%' FROM billing_customer c WHERE c.id = billing_invoice.customer_id" % vat_prefix, ())  # expect: SQL202
    return Invoice.objects.annotate(eu_vat=flag)


def with_customer_flag_safe(vat_prefix):
    flag = RawSQL("SELECT c.vat_id LIKE %s FROM billing_customer c WHERE c.id = billing_invoice.customer_id", (vat_prefix + "%",))  # ok: SQL202
    return Invoice.objects.annotate(eu_vat=flag)


def in_currency(currency_column):
    return Invoice.objects.annotate(
        converted=Func(F("total"), template="%(expressions)s * " + currency_column, output_field=models.DecimalField())  # expect: SQL202
    )


class InvoiceListView(ListView):
    model = Invoice
    paginate_by = 50

    def get_queryset(self):
        qs = super().get_queryset().select_related("customer")
        return qs.order_by(self.request.GET.get("ordering", "-issued_at"))  # expect: SQL203


class CheckedInvoiceListView(ListView):
    model = Invoice
    paginate_by = 50

    def get_queryset(self):
        ordering = self.request.GET.get("ordering", "-issued_at")
        if ordering not in ORDERINGS:
            ordering = "-issued_at"
        return super().get_queryset().order_by(ordering)  # ok: SQL203


def revenue_by_period(request):
    period = request.GET.get("period", "month")
    rows = (
        Invoice.objects.annotate(bucket=Trunc("issued_at", kind=period))  # expect: SQL203
        .values("bucket")
        .annotate(revenue=Sum("total"))
    )
    return JsonResponse({"rows": list(rows)})


def revenue_by_period_checked(request):
    period = request.GET.get("period", "month")
    if period not in PERIODS:
        return HttpResponseBadRequest(f"period must be one of {', '.join(PERIODS)}")
    rows = (
        Invoice.objects.annotate(bucket=Trunc("issued_at", kind=period))  # ok: SQL203
        .values("bucket")
        .annotate(revenue=Sum("total"))
    )
    return JsonResponse({"rows": list(rows)})


def invoices_per_part(request):
    part = request.GET["part"]
    rows = Invoice.objects.annotate(p=Extract("issued_at", lookup_name=part)).values("p").annotate(n=Count("id"))  # expect: SQL203
    return JsonResponse({"rows": list(rows)})


def search(request):
    field = request.GET.get("field", "number")
    term = request.GET.get("q", "")
    return Invoice.objects.filter(**{f"{field}__icontains": term})  # expect: SQL203


def search_checked(request):
    field = request.GET.get("field", "number")
    if field not in SEARCH_FIELDS:
        return Invoice.objects.none()
    return Invoice.objects.filter(**{f"{field}__icontains": request.GET.get("q", "")})  # ok: SQL203


def totals_with_alias(request):
    alias = request.GET.get("label", "total")
    return Invoice.objects.aggregate(**{alias: Sum("total")})  # expect: SQL203


def overdue_count(customer_id):
    with connection.cursor() as cursor:
        cursor.execute(  # ok: SQL101
            "SELECT count(*) FROM billing_invoice WHERE customer_id = %s AND due_at < now() AND status = %s",
            [customer_id, STATUS_OPEN],
        )
        return cursor.fetchone()[0]


def region_report(region):
    with connection.cursor() as cursor:
        cursor.execute(  # expect: SQL101
            "SELECT c.name, SUM(i.total) FROM billing_invoice i JOIN billing_customer c "
            "ON c.id = i.customer_id WHERE c.region = '%s' GROUP BY c.name" % region
        )
        return cursor.fetchall()


def column_totals(request):
    column = request.GET["column"]
    quoted = connection.ops.quote_name(column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT SUM({quoted}) FROM billing_invoice")  # expect: SQL101
        return cursor.fetchone()[0]


def truncate_invoices():
    table = connection.ops.quote_name(Invoice._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE TABLE %s CASCADE" % table)  # ok: SQL101


def aging_sql(days):
    """Statement used by the aging export job."""
    return f"SELECT number, total FROM billing_invoice WHERE issued_at < now() - interval '{days} days'"  # expect: SQL102


def aging_sql_safe(days):
    return f"SELECT number, total FROM billing_invoice WHERE issued_at < now() - interval '{int(days)} days'"  # ok: SQL102


class AgingExport:
    def __init__(self, region):
        self.region = region
        self.sql = "SELECT number, total FROM billing_invoice i JOIN billing_customer c ON c.id = i.customer_id WHERE c.region = '%s'" % region  # expect: SQL102
        self.title = "Invoices where the region is %s" % region  # ok: SQL102


def run_report(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)  # expect: SQL104
        return cursor.fetchall()


def late_invoices(customer_name):
    return run_report(
        "SELECT number FROM billing_invoice i JOIN billing_customer c ON c.id = i.customer_id "
        "WHERE c.name = %s AND i.due_at < now()",
        [customer_name],
    )


def late_invoices_for(customer_name):
    return run_report("SELECT number FROM billing_invoice i JOIN billing_customer c ON c.id = i.customer_id WHERE c.name = '" + customer_name + "'")  # expect: SQL101


def close_invoices(request, ids):
    updated = Invoice.objects.filter(Q(id__in=ids) & Q(status=STATUS_OPEN)).update(status="closed")
    message = f"Updated {updated} invoices; select another batch to continue"  # ok: SQL102
    return JsonResponse({"message": message, "where": f"status was {STATUS_OPEN}"})
